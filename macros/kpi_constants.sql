{#- The live channels of live_channel_share (spec/kpis.md), defined once. -#}
{% macro live_channels_sql() -%}
    ('chat', 'whatsapp', 'phone')
{%- endmacro %}


{#- Free text with email addresses and phone numbers masked: what a comment
    may show in a mart. -#}
{% macro redact_contact_details(column) -%}
    {{ regex_replace_all(
        regex_replace_all(column, '[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+[.][A-Za-z]{2,}', '[email]'),
        '[+]?[0-9][0-9 ().-]{7,}[0-9]',
        '[phone]',
    ) }}
{%- endmacro %}


{#- The agent states of the raw contract (spec/sources.md, agent_states). -#}
{% macro agent_state_values() -%}
    {{ return(['available', 'on_contact', 'after_contact_work', 'break', 'meeting', 'training', 'offline']) }}
{%- endmacro %}


{#- "Productive" states (spec/kpis.md, agent-state KPIs): available to take
    contacts or handling one. -#}
{% macro productive_states_sql() -%}
    ('available', 'on_contact', 'after_contact_work')
{%- endmacro %}


{#- "Handling" states: busy with a contact. -#}
{% macro handling_states_sql() -%}
    ('on_contact', 'after_contact_work')
{%- endmacro %}
