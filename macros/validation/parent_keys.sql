{#- The ids a reference is checked against (docs/decisions.md, D32), as
    delivered (never staging's pseudonyms, D31), on the current state
    (D34): one row per id. -#}

{#- The ids of a parent table's current valid versions (is_current: the
    latest valid version of each key, so one row per id): valid_<entity>_id. -#}
{% macro valid_parent_keys(entity, table) %}
    select {{ entity }}_id as valid_{{ entity }}_id from {{ ref('base_support__' ~ table ~ '_checked') }}
    where is_current
{% endmacro %}

{#- The quarantined rows' ids of a parent table, one row per id, with the
    reason of its quarantined row of the latest load (of those rows, the
    first reason code in alphabetical order): quarantined_<entity>_id,
    <entity>_reason_code. An id that also has a current valid version is
    listed too; the reference rules read this only when valid_parent_keys
    has no row for the id. -#}
{% macro quarantined_parent_keys(entity, table) %}
    select
        quarantined_{{ entity }}_id,
        {{ entity }}_reason_code
    from (
        select
            {{ entity }}_id as quarantined_{{ entity }}_id,
            reason_code as {{ entity }}_reason_code,
            row_number() over (
                partition by {{ entity }}_id order by load_rank desc, reason_code asc
            ) as latest_number
        from {{ ref('quarantine_support__' ~ table) }}
        where {{ entity }}_id is not null
    ) as quarantined_versions
    where latest_number = 1
{% endmacro %}
