-- The contract's customers from the landed Zendesk users that are
-- customers (end-users and ticket requesters; D19). Segment: the
-- organization's in the seed zendesk_organization_segments, else smb for a
-- user with an organization and consumer without one.
with

users as (
    select * from {{ ref('base_zendesk_fivetran__users_classified') }}
),

organization_segments as (
    select * from {{ ref('zendesk_organization_segments') }}
),

mapped as (
    select
        users.id as customer_id,
        users.name as full_name,
        users.email,
        users.phone,
        coalesce(
            organization_segments.segment,
            case when users.organization_id is not null then 'smb' else 'consumer' end
        ) as segment,
        cast(null as string) as country,
        users.created_at as signed_up_at
    from users
    left join organization_segments
        on users.organization_id = organization_segments.organization_id
    where users.is_customer
)

select * from mapped
