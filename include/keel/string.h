/* SPDX-License-Identifier: MIT */
/* keel/string.h - the freestanding string and memory routines of lib/. */
#ifndef _KEEL_STRING_H
#define _KEEL_STRING_H

#include <keel/types.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
/*
 * The same without KASAN's range checks (make KASAN=1 checks memcpy,
 * memmove and memset), for code that may touch poisoned memory: the
 * slab's own bookkeeping, the sanitizer's shadow.
 */
void *__memcpy(void *dst, const void *src, size_t n);
void *__memmove(void *dst, const void *src, size_t n);
void *__memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
void *memchr(const void *s, int c, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
char *strstr(const char *hay, const char *needle);
size_t strlcpy(char *dst, const char *src, size_t size);
bool glob_match(const char *pattern, const char *str);
int kstrtoull(const char *s, unsigned int base, unsigned long long *res);
int kstrtoll(const char *s, unsigned int base, long long *res);
int kstrtouint(const char *s, unsigned int base, unsigned int *res);
int kstrtobool(const char *s, bool *res);
int memparse(const char *s, unsigned long long *res);

#endif
