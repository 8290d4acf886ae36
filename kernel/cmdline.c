// SPDX-License-Identifier: MIT
/*
 * cmdline.c - split the boot command line into options and hand each to
 * the handler its subsystem registered (see keel/cmdline.h).
 */
#include <keel/cmdline.h>
#include <keel/printk.h>
#include <keel/string.h>

char boot_cmdline[CMDLINE_MAX];

extern const struct cmdline_param __cmdline_params_start[];
extern const struct cmdline_param __cmdline_params_end[];

struct option {
	char name[64];
	char value[256];
	bool has_value;
};

/*
 * Read the next option from *line into opt. Returns 1 when one was read,
 * 0 at the end, -ENAMETOOLONG/-EINVAL for an option that cannot be held
 * or has an unterminated quote (it is skipped).
 */
static int next_option(const char **line, struct option *opt)
{
	const char *p = *line;
	size_t n = 0;
	int err = 0;

	while (*p == ' ' || *p == '\t' || *p == '\n')
		p++;
	if (!*p)
		return 0;
	*opt = (struct option){ 0 };
	for (; *p && *p != '=' && *p != ' ' && *p != '\t'; p++)
		if (n + 1 < sizeof(opt->name))
			opt->name[n++] = *p;
		else
			err = -ENAMETOOLONG;
	if (*p == '=') {
		bool quoted = *++p == '"';

		opt->has_value = true;
		p += quoted;
		for (n = 0;
		     *p && (quoted ? *p != '"' :
				     *p != ' ' && *p != '\t' && *p != '\n');
		     p++)
			if (n + 1 < sizeof(opt->value))
				opt->value[n++] = *p;
			else
				err = -ENAMETOOLONG;
		if (quoted && *p != '"')
			err = -EINVAL;
		p += quoted && *p;
	}
	*line = p;
	return err ? err : 1;
}

static const struct cmdline_param *
find_param(const char *name, const struct cmdline_param *params, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(params[i].name, name))
			return &params[i];
	return NULL;
}

int cmdline_apply(const char *line, const struct cmdline_param *params,
		  size_t n)
{
	const struct cmdline_param *p;
	struct option opt;
	int ignored = 0, ret, err;

	while ((ret = next_option(&line, &opt)) != 0) {
		if (ret < 0) {
			pr_warn("cmdline: malformed option '%s' (%s), ignored\n",
				opt.name, errname(ret));
			ignored++;
			continue;
		}
		p = find_param(opt.name, params, n);
		if (!p) {
			pr_warn("cmdline: unknown option '%s', ignored\n",
				opt.name);
			ignored++;
			continue;
		}
		err = p->set(opt.has_value ? opt.value : NULL);
		if (err) {
			pr_warn("cmdline: bad value '%s' for '%s' (%s), ignored\n",
				opt.has_value ? opt.value : "", opt.name,
				errname(err));
			ignored++;
		}
	}
	return ignored;
}

void cmdline_init(void)
{
	cmdline_apply(boot_cmdline, __cmdline_params_start,
		      __cmdline_params_end - __cmdline_params_start);
}

int cmdline_get(const char *name, char *buf, size_t len)
{
	const char *line = boot_cmdline;
	struct option opt;
	int ret, found = -ENOENT;

	/* the last occurrence wins, as with the handlers */
	while ((ret = next_option(&line, &opt)) != 0) {
		if (ret < 0 || strcmp(opt.name, name))
			continue;
		strlcpy(buf, opt.value, len);
		found = 0;
	}
	return found;
}
