-- One row per survey invitation with the parts of the survey KPIs and its
-- attribution (spec/kpis.md, "Surveys"): agent = the surveyed ticket's
-- current assignee, else (no ticket, or an unassigned one) the surveyed
-- call's agent; channel = the ticket's, else phone for a call; team = the
-- ticket's (null when unrouted), else the call's queue.
-- Comments reach the mart only with emails and phone numbers masked.
with

responses as (
    select * from {{ ref('stg_support__survey_responses') }}
),

tickets as (
    select * from {{ ref('stg_support__tickets') }}
),

calls as (
    select * from {{ ref('stg_support__calls') }}
),

attributed as (
    select
        responses.response_id,
        responses.survey_type,
        responses.customer_id,
        responses.ticket_id,
        responses.call_id,
        responses.sent_at,
        cast(responses.sent_at as date) as sent_date,
        responses.responded_at,
        cast(responses.responded_at as date) as responded_date,
        responses.responded_at is not null as is_answered,
        responses.score,
        case
            when responses.survey_type = 'csat' and responses.score is not null
                then responses.score >= {{ var('csat_satisfied_min_score') }}
        end as is_satisfied,
        case
            when responses.survey_type = 'nps' and responses.score is not null
                then responses.score >= {{ var('nps_promoter_min_score') }}
        end as is_promoter,
        case
            when responses.survey_type = 'nps' and responses.score is not null
                then
                    responses.score > {{ var('nps_detractor_max_score') }}
                    and responses.score < {{ var('nps_promoter_min_score') }}
        end as is_passive,
        case
            when responses.survey_type = 'nps' and responses.score is not null
                then responses.score <= {{ var('nps_detractor_max_score') }}
        end as is_detractor,
        case
            when responses.survey_type = 'ces' and responses.score is not null
                then responses.score >= {{ var('ces_low_effort_min_score') }}
        end as is_low_effort,
        coalesce(tickets.assignee_agent_id, calls.agent_id) as attributed_agent_id,
        case
            when tickets.ticket_id is not null then tickets.channel
            when calls.call_id is not null then 'phone'
        end as attributed_channel,
        case
            when tickets.ticket_id is not null then tickets.team
            else calls.queue
        end as attributed_team,
        {{ redact_contact_details('responses.comment') }} as comment_redacted
    from responses
    left join tickets
        on responses.ticket_id = tickets.ticket_id
    left join calls
        on responses.call_id = calls.call_id
)

select * from attributed
