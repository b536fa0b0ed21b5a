{#-
  The customer universe as of as_of: buyers (an occasion up to as_of) ∪ CRM customers (first contact
  unknown or up to as_of) ∪ prospects (prospect_id as customer_id). Latest ingested record per id wins.
-#}
with as_of as (
    select as_of from {{ ref('int_as_of') }}
),

buyers as (
    select customer_id from {{ ref('int_customer_orders_summarized') }}
),

customers as (
    {{ cartera_latest_record(ref('stg_crm__customers'), 'customer_id') }}
),

known_customers as (
    select customers.*
    from customers
    cross join as_of
    where customers.first_contact_date is null or customers.first_contact_date <= as_of.as_of
),

prospects as (
    {{ cartera_latest_record(ref('stg_crm__prospects'), 'prospect_id') }}
),

universe as (
    select customer_id from buyers
    union
    select customer_id from known_customers
    union
    select prospect_id as customer_id from prospects
)

select
    universe.customer_id,
    coalesce(known_customers.customer_name, prospects.prospect_name) as customer_name,
    known_customers.email,
    known_customers.phone,
    known_customers.first_contact_date,
    known_customers.acquisition_channel,
    known_customers.segment,
    known_customers.region,
    known_customers.customer_id is not null as is_crm_customer,
    prospects.prospect_id is not null as is_prospect,
    prospects.interest_shown,
    prospects.economic_capacity
from universe
left join known_customers on universe.customer_id = known_customers.customer_id
left join prospects on universe.customer_id = prospects.prospect_id
