#!/bin/bash
# The tutorial's nginx health check, as keepalived's vrrp_script runs it: if nginx is gone,
# try to start it; if it cannot start, stop keepalived on this node so the VIP moves away.
# (That last step only works with a unit that tracks keepalived: see keepalived.service.)
counter=$(ps -C nginx --no-heading | wc -l)
if [ "${counter}" = "0" ]; then
    systemctl start nginx.service
    sleep 2
    counter=$(ps -C nginx --no-heading | wc -l)
    if [ "${counter}" = "0" ]; then
        systemctl stop keepalived.service
    fi
fi
