-- The latest version of each landed Intercom conversation (README,
-- "Intercom"), with its customer (customer_contact_id): the contact who
-- started it (source author of type user, lead or contact), else the first
-- contact of its latest version in conversation_contact_history (the
-- recipient of an outbound message); and its admin and team assignees
-- (admin_assignee_id / team_assignee_id where landed, else the legacy
-- assignee_id by assignee_type).
with

conversation_versions as (
    {{ intercom_versions('conversation_history') }}
),

conversation_contacts as (
    select * from {{ ref('base_intercom_fivetran__conversation_contacts_classified') }}
),

first_contacts as (
    select
        conversation_id,
        contact_id
    from conversation_contacts
    where participant_number = 1
),

latest_conversations as (
    select * from conversation_versions
    where version_number = 1
),

resolved as (
    select
        latest_conversations.*,
        case
            when lower(latest_conversations.source_author_type) in ('user', 'lead', 'contact')
                then latest_conversations.source_author_id
            else first_contacts.contact_id
        end as customer_contact_id,
        coalesce(
            latest_conversations.admin_assignee_id,
            case
                when coalesce(lower(latest_conversations.assignee_type), 'admin') = 'admin'
                    then latest_conversations.assignee_id
            end
        ) as assigned_admin_id,
        coalesce(
            latest_conversations.team_assignee_id,
            case
                when lower(latest_conversations.assignee_type) = 'team' then latest_conversations.assignee_id
            end
        ) as assigned_team_id
    from latest_conversations
    left join first_contacts
        on latest_conversations.id = first_contacts.conversation_id
)

select * from resolved
