{#- The live channels of live_channel_share (spec/kpis.md), defined once. -#}
{% macro live_channels_sql() -%}
    ('chat', 'whatsapp', 'phone')
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


{#- The follow-up window of call first-contact resolution, post-contact
    conversion and post-contact revenue (spec/kpis.md): `later` falls in
    (earlier, earlier + var('follow_up_days') days]. -#}
{% macro is_within_follow_up(earlier, later) -%}
    ({{ earlier }} < {{ later }} and {{ later }} <= {{ earlier }} + interval '{{ var("follow_up_days") }} days')
{%- endmacro %}
