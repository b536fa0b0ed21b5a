{#- The playbook touch point of an order or interaction channel (null when it maps to none). -#}
{% macro cartera_channel_touch_point(channel) %}
    case {{ channel }}
        when 'phone' then 'call'
        when 'sales_rep' then 'call'
        when 'email' then 'email'
        when 'store' then 'store_visit'
        when 'web' then 'web'
        when 'chatbot' then 'web'
    end
{%- endmacro %}
