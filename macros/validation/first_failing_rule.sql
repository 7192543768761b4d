{#- A table's validation rules, given in precedence order as
    (reason_code, column, condition) triples (support_contract_rules), are
    checked in two steps, so that each condition is evaluated once per row and
    each delivered row's row-local rules once (D36):
    - row_rule_number(rules), when a load is first read: the number of the
      first row-local rule whose condition holds (contract_rules.sql);
    - context_rule_number(rules), on every build: the number of the first
      rule reading a parent or the delivery time whose condition holds, and
      for each invalid_parent rule (a fourth item: the parent's reason_code,
      a column joined in the same select) that reason as
      parent_reason_code_<number>;
    - select_with_reason(relation, table_name, rules): the delivered columns of
      relation (as collapse_exact_duplicates gives them, with the parsed
      values) with the first failing rule's (the smaller of the two numbers)
      reason_code, reason_column and parent_reason_code (all null for a valid
      row; parent_reason_code null but for invalid_parent), its load_id and
      load_rank, and across loads (spec, "Deliveries in loads"; D34):
      superseded_by_load_id, for a valid row that a valid row of a later
      load of its key replaced, that row's load (null otherwise), and
      is_current, true for the latest valid version of each key (the staged
      row; at most one per key, as a load holds at most one valid row of a
      key).
    Precedence: docs/decisions.md, D2. -#}
{% macro context_rule_number(rules) -%}
    case
        {%- for rule in rules %}
        {%- if not rule_is_row_local(rule) %}
        when {{ rule[2] }} then {{ loop.index }}
        {%- endif %}
        {%- endfor %}
        else cast(null as {{ dbt.type_int() }})
    end as context_rule_number
    {%- for rule in rules %}
    {%- if rule | length > 3 %},
    {{ rule[3] }} as parent_reason_code_{{ loop.index }}
    {%- endif %}
    {%- endfor %}
{%- endmacro %}

{% macro select_with_reason(relation, table_name, rules) -%}
    {%- set contract = support_raw_contract()[table_name] -%}
    {%- set formats = support_contract_rules(table_name)['formats'] -%}
    {%- set parent_rules = [] -%}
    {%- for rule in rules -%}
        {%- if rule | length > 3 -%}
            {%- do parent_rules.append(loop.index) -%}
        {%- endif -%}
    {%- endfor -%}
    select
        reasoned_rows.*,
        case
            when reasoned_rows.reason_code is null
                then lead(reasoned_rows.load_id) over (
                    partition by reasoned_rows.{{ contract['key'] }}, reasoned_rows.reason_code is null
                    order by reasoned_rows.load_rank
                )
        end as superseded_by_load_id,
        coalesce(
            reasoned_rows.reason_code is null
            and reasoned_rows.load_rank = max(
                case when reasoned_rows.reason_code is null then reasoned_rows.load_rank end
            ) over (partition by reasoned_rows.{{ contract['key'] }}),
            false
        ) as is_current
    from (
        select
            {%- for column in contract['columns'] %}
            {{ column }},
            {%- endfor %}
            {%- for column in formats %}
            parsed_{{ column }},
            {%- endfor %}
            count_copies,
            count_key_rows,
            case failing_rule_number
                {%- for rule in rules %}
                when {{ loop.index }} then '{{ rule[0] }}'
                {%- endfor %}
            end as reason_code,
            case failing_rule_number
                {%- for rule in rules %}
                when {{ loop.index }} then '{{ rule[1] }}'
                {%- endfor %}
            end as reason_column,
            {%- if parent_rules %}
            case failing_rule_number
                {%- for number in parent_rules %}
                when {{ number }} then parent_reason_code_{{ number }}
                {%- endfor %}
            end as parent_reason_code,
            {%- else %}
            cast(null as {{ dbt.type_string() }}) as parent_reason_code,
            {%- endif %}
            load_id,
            load_rank
        from (
            select
                numbered_rows.*,
                coalesce(
                    least(numbered_rows.row_rule_number, numbered_rows.context_rule_number),
                    numbered_rows.row_rule_number,
                    numbered_rows.context_rule_number
                ) as failing_rule_number
            from {{ relation }} as numbered_rows
        ) as failing_rows
    ) as reasoned_rows
{%- endmacro %}


{#- The invalid rows of a checked relation (reason_code not null), with the
    columns a quarantine relation keeps: the delivered contract columns,
    count_copies, count_key_rows, reason_code, reason_column,
    parent_reason_code, load_id and load_rank (D3, D34). -#}
{% macro quarantined_rows(relation, table_name) -%}
    select
        {%- for column in support_raw_contract()[table_name]['columns'] %}
        {{ column }},
        {%- endfor %}
        count_copies,
        count_key_rows,
        reason_code,
        reason_column,
        parent_reason_code,
        load_id,
        load_rank
    from {{ relation }}
    where reason_code is not null
{%- endmacro %}
