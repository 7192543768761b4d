{#- The live channels of live_channel_share (spec/kpis.md), defined once. -#}
{% macro live_channels_sql() -%}
    ('chat', 'whatsapp', 'phone')
{%- endmacro %}
