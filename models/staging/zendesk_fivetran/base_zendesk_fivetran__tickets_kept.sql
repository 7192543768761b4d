-- The landed Zendesk tickets the contract receives: every ticket except the
-- deleted ones (status deleted, or deleted by Fivetran), which the help desk
-- itself no longer counts (D19); their comments, history and ratings are
-- left out with them and counted in base_zendesk_fivetran__landed_summary.
with

landed_tickets as (
    {{ zendesk_landed('ticket') }}
),

kept as (
    select * from landed_tickets
    where
        coalesce(lower(status), '') <> 'deleted'
        and not coalesce({{ zendesk_is_true('_fivetran_deleted') }}, false)
)

select * from kept
