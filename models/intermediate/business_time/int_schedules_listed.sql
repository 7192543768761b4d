-- One row per business-hours schedule of the reference data (the seed, or
-- the Zendesk schedules with the Zendesk adapter): what a ticket's
-- schedule_id must name.
with

business_hours as (
    select * from {{ support_reference('business_hours') }}
),

listed as (
    select distinct schedule_id from business_hours
)

select * from listed
