{#- The tables Fivetran's Zendesk connector lands that the Zendesk adapter
    reads (var raw_source: zendesk_fivetran), with the columns it uses.
    `optional` columns may be missing (then null); an `optional_table` may be
    missing altogether (then no rows); `ids` are Zendesk ids, which get the
    account's prefix. Column meanings: README, "Zendesk". -#}
{% macro zendesk_landed_tables() %}
    {% do return({
        'ticket': {
            'ids': ['id', 'requester_id', 'submitter_id', 'assignee_id', 'group_id'],
            'columns': [
                'id', 'created_at', 'updated_at', 'status', 'priority', 'type', 'requester_id',
                'submitter_id', 'assignee_id', 'group_id', 'via_channel', 'via_source_rel',
                '_fivetran_deleted',
            ],
            'optional': ['via_source_rel', '_fivetran_deleted'],
        },
        'ticket_comment': {
            'ids': ['id', 'ticket_id', 'user_id'],
            'columns': ['id', 'ticket_id', 'user_id', 'created', 'public', 'via_channel', '_fivetran_deleted'],
            'optional': ['via_channel', '_fivetran_deleted'],
        },
        'ticket_field_history': {
            'ids': ['ticket_id', 'user_id'],
            'columns': ['ticket_id', 'field_name', 'updated', 'value', 'user_id'],
            'optional': [],
        },
        'user': {
            'ids': ['id', 'organization_id'],
            'columns': [
                'id', 'name', 'email', 'phone', 'role', 'organization_id', 'created_at', 'updated_at',
                'active', 'suspended', '_fivetran_deleted',
            ],
            'optional': ['phone', 'suspended', '_fivetran_deleted'],
        },
        'group': {
            'ids': ['id'],
            'columns': ['id', 'name', '_fivetran_deleted'],
            'optional': ['_fivetran_deleted'],
        },
        'schedule': {
            'ids': ['id'],
            'columns': ['id', 'name', 'time_zone', 'created_at', 'start_time', 'end_time', '_fivetran_deleted'],
            'optional': ['_fivetran_deleted'],
        },
        'schedule_holiday': {
            'ids': ['id', 'schedule_id'],
            'columns': ['id', 'schedule_id', 'name', 'start_date', 'end_date', '_fivetran_deleted'],
            'optional': ['_fivetran_deleted'],
            'optional_table': true,
        },
        'ticket_schedule': {
            'ids': ['ticket_id', 'schedule_id'],
            'columns': ['ticket_id', 'schedule_id', 'created_at'],
            'optional': [],
            'optional_table': true,
        },
        'sla_policy_metric_history': {
            'ids': ['sla_policy_id'],
            'columns': ['sla_policy_id', 'sla_policy_updated_at', 'business_hours', 'metric', 'priority', 'target'],
            'optional': [],
            'optional_table': true,
        },
        'ticket_sla_policy': {
            'ids': ['ticket_id', 'sla_policy_id'],
            'columns': ['ticket_id', 'sla_policy_id', 'policy_applied_at'],
            'optional': [],
            'optional_table': true,
        },
        'satisfaction_rating': {
            'ids': ['id', 'ticket_id', 'requester_id'],
            'columns': ['id', 'ticket_id', 'requester_id', 'score', 'comment', 'created_at', 'updated_at'],
            'optional': ['comment'],
            'optional_table': true,
        },
    }) %}
{% endmacro %}


{#- select <the landed table's columns as trimmed text, ids prefixed>,
    zendesk_account from every account (macros/raw/fivetran_landed.sql). -#}
{% macro zendesk_landed(table_name) %}
    {{ return(fivetran_landed('zendesk', table_name)) }}
{% endmacro %}


{#- A landed boolean text (TRUE/true/1) as true or false; null stays null. -#}
{% macro zendesk_is_true(expression) -%}
    (lower({{ expression }}) in ('true', 't', '1'))
{%- endmacro %}


{#- A reference relation (business_hours, holidays, team_schedules,
    sla_policies): the seed, or, when the tickets come from the Zendesk
    adapter, the one built from the landed schedules and SLA policies (they
    replace the seeds). -#}
{% macro support_reference(name) %}
    {%- if support_raw_source('tickets') == 'zendesk_fivetran' -%}
        {{ return(ref('base_zendesk_fivetran__' ~ name)) }}
    {%- endif -%}
    {{ return(ref(name)) }}
{% endmacro %}


{#- The schedule of each ticket that has one of its own (ticket_id,
    schedule_id): when the tickets come from the Zendesk adapter, the ticket's current Zendesk
    schedule; otherwise none (tickets use their team's schedule). -#}
{% macro support_ticket_schedules() %}
    {%- if support_raw_source('tickets') == 'zendesk_fivetran' -%}
        {{ return("select ticket_id, schedule_id from " ~ ref('base_zendesk_fivetran__ticket_schedules')) }}
    {%- endif -%}
    {{ return("select cast(null as string) as ticket_id, cast(null as string) as schedule_id where 1 = 0") }}
{% endmacro %}


{#- The support tier of Zendesk groups (group_id, tier, tier_rank): the seed
    zendesk_group_tiers, or var zendesk_group_tiers when set (a list of
    {group_id, tier, tier_rank}, e.g. for one build without editing the
    seed). -#}
{% macro zendesk_group_tiers() %}
    {{ return(adapter.dispatch('zendesk_group_tiers', 'support_kpis')()) }}
{% endmacro %}


{% macro default__zendesk_group_tiers() %}
    {%- set tiers = var('zendesk_group_tiers') -%}
    {%- if not tiers -%}
        {{ return("select group_id, tier, tier_rank from " ~ ref('zendesk_group_tiers')) }}
    {%- endif -%}
    {%- set rows = [] -%}
    {%- for row in tiers -%}
        {%- do rows.append(
            "select cast('" ~ (row['group_id'] | string | replace("'", "''")) ~ "' as " ~ dbt.type_string()
            ~ ") as group_id, cast('" ~ (row['tier'] | string | replace("'", "''")) ~ "' as " ~ dbt.type_string()
            ~ ") as tier, cast(" ~ (row['tier_rank'] | int) ~ " as integer) as tier_rank") -%}
    {%- endfor -%}
    {{ return(rows | join("\n    union all\n    ")) }}
{% endmacro %}
