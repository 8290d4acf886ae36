/* SPDX-License-Identifier: MIT */
/*
 * keel/cred.h - a process's user and group ids (Linux's struct cred,
 * held by value in struct task: there are no threads to share it).
 *
 * Everything starts as root (all ids 0). The set*id calls of
 * kernel/sys.c change them with Linux's rules for a privileged caller
 * (euid 0, standing in for CAP_SETUID/CAP_SETGID) and an unprivileged
 * one (only to ids it already has). The ids are reported by the get*id
 * calls, the auxiliary vector (AT_UID...) and /proc/PID/status; no
 * permission check elsewhere in keel looks at them yet (TODO: the VFS's
 * access checks).
 */
#ifndef _KEEL_CRED_H
#define _KEEL_CRED_H

#include <keel/types.h>

#define NGROUPS_KEEL 64 /* supplementary groups kept (Linux: 65536) */

typedef u32 kuid_t;
typedef u32 kgid_t;

struct cred {
	kuid_t uid, euid, suid, fsuid;
	kgid_t gid, egid, sgid, fsgid;
	unsigned int ngroups;
	kgid_t groups[NGROUPS_KEEL];
};

#endif
