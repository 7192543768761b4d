-- The ids of the landed tickets left out as deleted (D19).
with

landed_tickets as (
    {{ zendesk_landed('ticket') }}
),

deleted as (
    select distinct id as ticket_id from landed_tickets
    where
        coalesce(lower(status), '') = 'deleted'
        or coalesce({{ zendesk_is_true('_fivetran_deleted') }}, false)
)

select * from deleted
