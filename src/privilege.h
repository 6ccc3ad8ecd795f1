/*
 * src/privilege.h
 *	  Whose rights sla's code runs with (privilege.c).
 */
#ifndef SLA_PRIVILEGE_H
#define SLA_PRIVILEGE_H

/* The extension's owner: the role that owns and writes all SLA state. */
extern Oid	sla_extension_owner(void);

#endif
