-- One row per landed conversation_contact_history row (README, "Intercom"):
-- the contacts of a conversation at its latest version (is_current, numbered
-- by contact id in participant_number), or why the row is not one
-- (not_mapped_reason: conversation_not_landed, superseded_version: a
-- contact of an older version of the conversation, or a repeated row).
with

contact_versions as (
    {{ intercom_versions('conversation_contact_history') }}
),

landed_conversations as (
    {{ intercom_landed('conversation_history') }}
),

conversation_ids as (
    select distinct id as conversation_id from landed_conversations
),

timed as (
    select
        contact_versions.*,
        {{ parse_utc_timestamp('contact_versions.conversation_updated_at') }} as conversation_version_at,
        conversation_ids.conversation_id is not null as is_of_landed_conversation
    from contact_versions
    left join conversation_ids
        on contact_versions.conversation_id = conversation_ids.conversation_id
),

latest_marked as (
    select
        timed.*,
        max(timed.conversation_version_at) over (partition by timed.conversation_id) as latest_version_at
    from timed
),

judged as (
    select
        conversation_id,
        contact_id,
        conversation_updated_at,
        version_number,
        is_of_landed_conversation,
        coalesce(version_number = 1 and conversation_version_at = latest_version_at, false) as is_current,
        case
            when not is_of_landed_conversation then 'conversation_not_landed'
            when not coalesce(version_number = 1 and conversation_version_at = latest_version_at, false)
                then 'superseded_version'
        end as not_mapped_reason
    from latest_marked
),

numbered as (
    select
        judged.*,
        case
            when judged.not_mapped_reason is null then row_number() over (
                partition by judged.conversation_id, judged.not_mapped_reason
                order by judged.contact_id
            )
        end as participant_number
    from judged
)

select * from numbered
