-- Where every landed Intercom row went (README, "Intercom"): per landed
-- table, outcome (mapped: delivered to the named contract tables, where it
-- is then staged, quarantined or collapsed like any delivered row;
-- not_mapped: deliberately left out, with the reason) and row count.
{{ config(schema='quarantine') }}
with

conversation_versions as (
    {{ intercom_versions('conversation_history') }}
),

contact_versions as (
    {{ intercom_versions('contact_history') }}
),

company_link_versions as (
    {{ intercom_versions('contact_company_history') }}
),

admin_versions as (
    {{ intercom_versions('admin') }}
),

team_versions as (
    {{ intercom_versions('team') }}
),

conversations as (
    select * from {{ ref('base_intercom_fivetran__conversations_latest') }}
),

conversation_contacts as (
    select * from {{ ref('base_intercom_fivetran__conversation_contacts_classified') }}
),

parts as (
    select * from {{ ref('base_intercom_fivetran__parts_classified') }}
),

memberships as (
    select * from {{ ref('base_intercom_fivetran__team_memberships') }}
),

conversation_outcomes as (
    select
        'conversation_history' as landed_table,
        case
            when version_number = 1 and coalesce(conversation_rating_value, conversation_rating_created_at) is not null
                then 'tickets, ticket_messages, ticket_events, survey_responses'
            when version_number = 1 then 'tickets, ticket_messages, ticket_events'
        end as contract_table,
        case when version_number > 1 then 'superseded_version' end as not_mapped_reason
    from conversation_versions
),

part_outcomes as (
    select
        'conversation_part_history' as landed_table,
        case
            when not_mapped_reason is not null then null
            when is_public is not null and (status_to is not null or is_assignment)
                then 'ticket_messages, ticket_events'
            when is_public is not null then 'ticket_messages'
            else 'ticket_events'
        end as contract_table,
        not_mapped_reason
    from parts
),

conversation_contact_outcomes as (
    select
        'conversation_contact_history' as landed_table,
        case
            when
                conversation_contacts.not_mapped_reason is null
                and conversation_contacts.contact_id = conversations.customer_contact_id
                then 'tickets (customer)'
        end as contract_table,
        case
            when conversation_contacts.not_mapped_reason is not null then conversation_contacts.not_mapped_reason
            when coalesce(conversation_contacts.contact_id <> conversations.customer_contact_id, true)
                then 'other_participant'
        end as not_mapped_reason
    from conversation_contacts
    left join conversations
        on conversation_contacts.conversation_id = conversations.id
),

contact_outcomes as (
    select
        'contact_history' as landed_table,
        case when version_number = 1 then 'customers' end as contract_table,
        case when version_number > 1 then 'superseded_version' end as not_mapped_reason
    from contact_versions
),

company_link_timed as (
    select
        version_number,
        {{ parse_utc_timestamp('contact_updated_at') }} as contact_version_at,
        max({{ parse_utc_timestamp('contact_updated_at') }}) over (partition by contact_id) as latest_contact_version_at
    from company_link_versions
),

company_link_outcomes as (
    select
        'contact_company_history' as landed_table,
        case
            when version_number = 1 and contact_version_at = latest_contact_version_at then 'customers (segment)'
        end as contract_table,
        case
            when not coalesce(version_number = 1 and contact_version_at = latest_contact_version_at, false)
                then 'superseded_version'
        end as not_mapped_reason
    from company_link_timed
),

admin_outcomes as (
    select
        'admin' as landed_table,
        case when version_number = 1 then 'agents' end as contract_table,
        case when version_number > 1 then 'superseded_version' end as not_mapped_reason
    from admin_versions
),

team_outcomes as (
    select
        'team' as landed_table,
        case when version_number = 1 then 'tickets (team names), agents (team names)' end as contract_table,
        case when version_number > 1 then 'superseded_version' end as not_mapped_reason
    from team_versions
),

membership_outcomes as (
    select
        'team_admin' as landed_table,
        case when not_mapped_reason is null then 'agents (team)' end as contract_table,
        not_mapped_reason
    from memberships
),

outcomes as (
    select * from conversation_outcomes
    union all
    select * from part_outcomes
    union all
    select * from conversation_contact_outcomes
    union all
    select * from contact_outcomes
    union all
    select * from company_link_outcomes
    union all
    select * from admin_outcomes
    union all
    select * from team_outcomes
    union all
    select * from membership_outcomes
),

counted as (
    select
        landed_table,
        case when not_mapped_reason is null then 'mapped' else 'not_mapped' end as outcome,
        contract_table,
        not_mapped_reason,
        count(*) as count_rows
    from outcomes
    group by 1, 2, 3, 4
)

select * from counted
