{#- Free text with email addresses and phone numbers masked: what a comment
    may show in a mart. -#}
{% macro redact_contact_details(column) -%}
    {{ regex_replace_all(
        regex_replace_all(column, '[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+[.][A-Za-z]{2,}', '[email]'),
        '[+]?[0-9][0-9 ().-]{7,}[0-9]',
        '[phone]',
    ) }}
{%- endmacro %}
