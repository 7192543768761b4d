{#- The ids a reference is checked against (docs/decisions.md, D32), as
    delivered (never staging's pseudonyms, D31). -#}

{#- The valid rows' ids of a parent table: valid_<entity>_id. -#}
{% macro valid_parent_keys(entity, table) %}
    select {{ entity }}_id as valid_{{ entity }}_id from {{ ref('base_support__' ~ table ~ '_checked') }}
    where reason_code is null
{% endmacro %}

{#- The quarantined rows' ids of a parent table, with the reason of each:
    quarantined_<entity>_id, <entity>_reason_code. -#}
{% macro quarantined_parent_keys(entity, table) %}
    select
        {{ entity }}_id as quarantined_{{ entity }}_id,
        min(reason_code) as {{ entity }}_reason_code
    from {{ ref('quarantine_support__' ~ table) }}
    where {{ entity }}_id is not null
    group by {{ entity }}_id
{% endmacro %}
