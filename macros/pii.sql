{#- Contact details out of what reaches the marts (docs/decisions.md, D31).

    Patterns are regular expressions that DuckDB (RE2) and Spark (Java) read
    alike: \p{..} Unicode classes and \x{....} code points. They are written
    in set blocks, where Jinja leaves backslashes alone (a Jinja string
    literal reads backslash escapes, so '\x{1F}' there is an error and a
    backslash must be doubled); regex_replace_unicode and
    regex_matches_unicode write them into each engine's SQL. -#}

{#- An e-mail address: local part @ domain, in any script. The local part
    is letters, digits and . _ % + -; the domain is labels joined by dots,
    the last label starting with a letter. The full-width @ and the
    full-width and ideographic full stops count as @ and dot. -#}
{% macro pii_email_pattern() -%}
    {%- set pattern -%}
        [\p{L}\p{M}\p{N}._%+-]+[@\x{FF20}][\p{L}\p{M}\p{N}-]+(?:[.\x{FF0E}\x{3002}\x{FF61}][\p{L}\p{M}\p{N}-]+)*[.\x{FF0E}\x{3002}\x{FF61}]\p{L}[\p{L}\p{M}\p{N}-]*
    {%- endset -%}
    {{ return(pattern) }}
{%- endmacro %}


{#- The characters that may separate the digits of a phone number: every
    space character (no-break and narrow spaces included), invisible format
    characters (zero-width space), dashes, the minus sign, . / ( ) and their
    full-width forms; as the inside of a character class. -#}
{% macro pii_phone_separators() -%}
    {%- set characters -%}
        \p{Zs}\p{Cf}.()\x{FF0E}\x{FF08}\x{FF09}\p{Pd}\x{2212}/\x{FF0F}
    {%- endset -%}
    {{ return(characters) }}
{%- endmacro %}


{#- A phone-number-shaped run: an optional + and (, then at least 7 digits
    of any script (full-width too), with up to 3 separators
    (pii_phone_separators) between two digits. -#}
{% macro pii_phone_pattern() -%}
    {%- set pattern -%}
        [+\x{FF0B}]?[(\x{FF08}]?\p{Nd}(?:[{{ pii_phone_separators() }}]{0,3}\p{Nd}){6,}
    {%- endset -%}
    {{ return(pattern) }}
{%- endmacro %}


{#- Free text with every e-mail address replaced by [email] and every phone
    number by [phone]. The rule (D31), in the order of the passes:

    1. E-mail addresses (pii_email_pattern) become [email].
    2. Dates and amounts are set aside: a marker, chr(31), goes before each
       digit group of a date (2025-03-04, 2025/3/4, 04.03.2025, 3/4/25: year
       19xx or 20xx first, or day and month first, separated by - . or /)
       and before an amount with a decimal comma (1.234.567,89,
       1 234 567,00, 1234567,5). No phone number starts right after a
       marker or runs through one. Markers are removed at the end (and from
       the input first).
    3. A phone-number-shaped run (pii_phone_pattern) becomes [phone] unless
       it is glued to what comes before it: right after a letter, digit, #,
       _, currency sign, dash, slash or marker. So #1234567, ORD1234567,
       ORD-1234567, ORD/1234567 and €1234567 stay.
    Times (09:15) and numbers of fewer than 7 digits never match. A number
    of 7 or more digits standing on its own is read as a phone number:
    5551234, Nr. 1234567, 1234567.89 (a decimal point), 1.234.567 EUR.

    Values without an @ (or full-width @) and without 7 digits close
    together are returned as they are. -#}
{% macro redact_contact_details(column) -%}
    {%- set mark -%} \x{1F} {%- endset -%}
    {#- Dates: (before)(year)(-)(month)(-)(day)(after) and
        (before)(day)(-)(month or day)(-)(year)(after), not inside a longer
        run of digits, - . and /. -#}
    {%- set before_date -%} (^|[^\p{N}./-]) {%- endset -%}
    {%- set after_date -%} ($|[^\p{N}./-]|[./-]$|[./-][^\p{N}]) {%- endset -%}
    {%- set day = '(0?[1-9]|[12][0-9]|3[01])' -%}
    {%- set month = '(0?[1-9]|1[0-2])' -%}
    {%- set year_month_day = before_date ~ '((?:19|20)[0-9]{2})([-./])' ~ month ~ '([-./])' ~ day ~ after_date -%}
    {%- set day_month_year = before_date ~ day ~ '([-./])' ~ day ~ '([-./])((?:19|20)?[0-9]{2})' ~ after_date -%}
    {%- set date_marked = '\\1{mark}\\2\\3{mark}\\4\\5{mark}\\6\\7' -%}
    {#- Amounts: (before)(digits, or digits in groups of 3 after . or a
        space)(decimal comma and 1 or 2 digits)(after). -#}
    {%- set amount -%}
        (^|[^\p{N}])(\p{Nd}+|\p{Nd}{1,3}(?:[.\p{Zs}]\p{Nd}{3})+)(,\p{Nd}{1,2})($|[^\p{N}])
    {%- endset -%}
    {#- Phones: (before: the start or a character that is no glue)(phone) -#}
    {%- set glue -%} \p{L}\p{M}\p{N}#_\p{Sc}\p{Pd}\x{2212}/\x{FF0F}\x{1F} {%- endset -%}
    {%- set phone = '(^|[^' ~ glue ~ '])(' ~ pii_phone_pattern() ~ ')' -%}
    {#- The passes, innermost first -#}
    {%- set text = 'replace(' ~ column ~ ', chr(31), \'\')' -%}
    {%- set text = regex_replace_unicode(text, pii_email_pattern(), '[email]') -%}
    {%- set text = regex_replace_unicode(text, year_month_day, date_marked) -%}
    {%- set text = regex_replace_unicode(text, day_month_year, date_marked) -%}
    {%- set text = regex_replace_unicode(text, amount, '\\1{mark}\\2\\3\\4') -%}
    {%- set text = regex_replace_unicode(text, phone, '\\1[phone]') -%}
    {%- set text = regex_replace_unicode(text, mark, '') -%}
    {%- set candidate -%} [@\x{FF20}]|\p{Nd}(?:[^\p{Nd}]{0,3}\p{Nd}){6} {%- endset -%}
    case
        when {{ regex_matches_unicode(column, candidate) }}
            then {{ text }}
        else {{ column }}
    end
{%- endmacro %}


{#- A customer's or agent's identifier as it may reach the marts: an
    identifier that holds an e-mail address, or that is a phone number as a
    whole (pii_phone_pattern, spaces around allowed), becomes prefix + the
    first 16 hex digits of sha256(var('pii_salt', '') || identifier); any
    other identifier stays as delivered: a plain number that does not start
    with 0 (a system's number), and an identifier with a phone number among
    other text (tel:+49...). The same identifier gives the same pseudonym in
    every table, so joins hold. -#}
{% macro pseudonymise_contact_id(column, prefix) -%}
    {%- set salt = var('pii_salt', '') | string -%}
    {%- if "'" in salt or '\\' in salt -%}
        {{ exceptions.raise_compiler_error("var pii_salt must not contain a quote or a backslash") }}
    {%- endif -%}
    {%- set whole_phone = '^\\p{Zs}*' ~ pii_phone_pattern() ~ '\\p{Zs}*$' -%}
    case
        when
            {{ regex_matches_unicode(column, pii_email_pattern()) }}
            or (
                {{ regex_matches_unicode(column, whole_phone) }}
                and not {{ regex_matches_unicode(column, '^[1-9][0-9]*$') }}
            )
            then '{{ prefix }}' || substr({{ pii_sha256("'" ~ salt ~ "' || " ~ column) }}, 1, 16)
        else {{ column }}
    end
{%- endmacro %}


{#- Replace every match of a pattern (written with single backslashes as
    RE2 and Java read it); in the replacement \1, \2 ... are groups and
    {mark} is chr(31). -#}
{% macro regex_replace_unicode(expression, pattern, replacement) %}
    {{ return(adapter.dispatch('regex_replace_unicode', 'support_kpis')(expression, pattern, replacement)) }}
{% endmacro %}

{% macro default__regex_replace_unicode(expression, pattern, replacement) -%}
    {%- set parts = replacement.split('{mark}') -%}
    regexp_replace({{ expression }}, '{{ pattern }}', '{{ parts | join("' || chr(31) || '") }}', 'g')
{%- endmacro %}

{% macro spark__regex_replace_unicode(expression, pattern, replacement) -%}
    {#- Spark's string literals read \\ as one backslash; Java's replacement
        names groups $1, $2 ... -#}
    {%- set java_replacement = modules.re.sub('\\\\([0-9])', '$\\1', replacement) -%}
    {%- set parts = java_replacement.split('{mark}') -%}
    regexp_replace({{ expression }}, '{{ pattern | replace('\\', '\\\\') }}', '{{ parts | join("' || chr(31) || '") }}')
{%- endmacro %}


{#- True when a text expression holds a match of a pattern (written as for
    regex_replace_unicode). -#}
{% macro regex_matches_unicode(expression, pattern) %}
    {{ return(adapter.dispatch('regex_matches_unicode', 'support_kpis')(expression, pattern)) }}
{% endmacro %}

{% macro default__regex_matches_unicode(expression, pattern) -%}
    regexp_matches({{ expression }}, '{{ pattern }}')
{%- endmacro %}

{% macro spark__regex_matches_unicode(expression, pattern) -%}
    ({{ expression }} rlike '{{ pattern | replace('\\', '\\\\') }}')
{%- endmacro %}


{#- The sha256 of a text expression (its UTF-8 bytes), as 64 lowercase hex
    digits. -#}
{% macro pii_sha256(expression) %}
    {{ return(adapter.dispatch('pii_sha256', 'support_kpis')(expression)) }}
{% endmacro %}

{% macro default__pii_sha256(expression) -%}
    sha256({{ expression }})
{%- endmacro %}

{% macro spark__pii_sha256(expression) -%}
    sha2({{ expression }}, 256)
{%- endmacro %}
