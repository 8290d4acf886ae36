// SPDX-License-Identifier: MIT
/* errname.c - "-ENOMEM" for -12: readable error codes in messages. */
#include <keel/errno.h>

#define E(x) [x] = "-" #x
static const char *const names[] = {
	E(EPERM),	 E(ENOENT),	   E(EINTR),	   E(EIO),
	E(ENXIO),	 E(E2BIG),	   E(ENOEXEC),	   E(EAGAIN),
	E(ENOMEM),	 E(EFAULT),	   E(EBUSY),	   E(EEXIST),
	E(ENODEV),	 E(EINVAL),	   E(ENOSPC),	   E(ERANGE),
	E(EDEADLK),	 E(ENAMETOOLONG),  E(ENOSYS),	   E(ENODATA),
	E(ETIME),	 E(EOVERFLOW),	   E(EMSGSIZE),	   E(EPROTO),
	E(EOPNOTSUPP),	 E(EADDRINUSE),	   E(ENETDOWN),	   E(ETIMEDOUT),
	E(EALREADY),	 E(EADDRNOTAVAIL), E(ENETUNREACH), E(ENOBUFS),
	E(EHOSTUNREACH), E(ESRCH),	   E(EBADF),	   E(ECHILD),
	E(EACCES),	 E(ENOTBLK),	   E(EXDEV),	   E(ENOTDIR),
	E(EISDIR),	 E(ENFILE),	   E(EMFILE),	   E(ENOTTY),
	E(EFBIG),	 E(ESPIPE),	   E(EROFS),	   E(EMLINK),
	E(EPIPE),	 E(ENOTEMPTY),	   E(ELOOP),
};

/* Returns the name of -err or err, or "-E?" for an unknown value. */
const char *errname(int err)
{
	unsigned int e = err < 0 ? -err : err;

	if (e < sizeof(names) / sizeof(names[0]) && names[e])
		return names[e];
	return "-E?";
}
