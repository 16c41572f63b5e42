/* SPDX-License-Identifier: MIT */
/* Log lines on stderr; control bytes in messages are escaped so user text
 * can never forge a line. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/log.h"

#include "core/banned.h"

enum log_level log_level_current = LOG_INFO;

static const char *const level_name[] = {"error", "warn", "info", "debug"};

int
log_level_parse(const char *s)
{
	for (int i = 0; i < 4; i++)
		if (strcmp(s, level_name[i]) == 0)
			return i;
	if (strcmp(s, "err") == 0)
		return LOG_ERR;
	return -1;
}

void
log_write(enum log_level level, const char *reqid, const char *fmt, ...)
{
	char msg[1024];
	char line[2048];
	char stamp[32];
	struct timespec ts;
	struct tm tm;
	va_list ap;
	size_t o = 0;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm);
	for (const char *p = msg; *p && o + 5 < sizeof(line); p++) {
		unsigned char c = (unsigned char)*p;
		if (c < 0x20 || c == 0x7f) {
			o += (size_t)snprintf(line + o, sizeof(line) - o,
					      "\\x%02x", c);
		} else {
			line[o++] = (char)c;
		}
	}
	line[o] = '\0';
	fprintf(stderr, "%s.%03ldZ %s %s %s\n", stamp, ts.tv_nsec / 1000000,
		level_name[level], reqid ? reqid : "-", line);
}
