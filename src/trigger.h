/*
 * src/trigger.h
 *	  The tracking triggers' setting for Citus shards (trigger.c).
 */
#ifndef SLA_TRIGGER_H
#define SLA_TRIGGER_H

/* Define the sla.shard setting (from the library's initialization). */
extern void sla_define_shard_setting(void);

#endif
