{#- Incremental facts recompute whole partitions (a ticket, a caller): a row
    of such a fact depends on its partition's other rows (a reply that comes
    later, a repeat call within 7 days) and validation is global (a late
    duplicate can invalidate an earlier row). Each row carries its
    partition's fingerprint, a hash of every input row of the partition.

    Before an incremental run: delete the rows of every partition whose
    fingerprint changed or that disappeared. The model then appends the rows
    of every partition not in the table any more (new or changed). -#}
{% macro delete_changed_partitions(key_column, fingerprints) -%}
    {%- if is_incremental() -%}
        delete from {{ this }}
        where {{ key_column }} || '|' || cast(partition_fingerprint as string) not in (
            select {{ key_column }} || '|' || cast(partition_fingerprint as string) from {{ fingerprints }}
        )
    {%- else -%}
        select 1
    {%- endif -%}
{%- endmacro %}


{#- True for the partitions to (re)compute in this run: all on a full build,
    the ones missing from the table on an incremental run. -#}
{% macro partition_needs_build(key_column) -%}
    {%- if is_incremental() -%}
        {{ key_column }} not in (select distinct {{ key_column.split('.')[-1] }} from {{ this }})
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}


{#- A 64-bit hash of a text expression, for fingerprints (sum them). -#}
{% macro fingerprint_hash(expression) %}
    {{ return(adapter.dispatch('fingerprint_hash', 'support_kpis')(expression)) }}
{% endmacro %}

{% macro default__fingerprint_hash(expression) -%}
    hash({{ expression }})
{%- endmacro %}

{% macro spark__fingerprint_hash(expression) -%}
    xxhash64({{ expression }})
{%- endmacro %}


{#- The columns of a row as one text, nulls marked, for fingerprint_hash. -#}
{% macro row_text(columns) -%}
    concat_ws('|'
    {%- for column in columns -%}
        , coalesce(cast({{ column }} as string), '<null>')
    {%- endfor -%}
    )
{%- endmacro %}


{#- The partition of a call in the incremental call facts. -#}
{% macro call_partition_key(relation=none) -%}
    {%- set prefix = relation ~ '.' if relation else '' -%}
    coalesce({{ prefix }}customer_id, 'call:' || {{ prefix }}call_id)
{%- endmacro %}


{#- The configuration of an incremental fact recomputed by partition: call
    it at the top of the model. -#}
{% macro config_incremental_by_partition(key_column, fingerprints_model) -%}
    {%- if target.type == 'spark' and var('spark_file_format') not in ['delta', 'iceberg', 'hudi'] -%}
        {#- Plain parquet tables cannot delete rows: rebuild in full (D16). -#}
        {{ config(materialized='table') }}
    {%- else -%}
    {{ config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook="{{ delete_changed_partitions('" ~ key_column ~ "', ref('" ~ fingerprints_model ~ "')) }}",
    ) }}
    {%- endif -%}
{%- endmacro %}
