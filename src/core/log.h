/* SPDX-License-Identifier: MIT */
/*
 * One line per event on stderr: UTC time, level, request id, message.
 * The macros test the level before formatting anything. Customer data is
 * personal: log ids, never names, e-mails, phone numbers or bodies.
 */
#ifndef AV_LOG_H
#define AV_LOG_H

enum log_level { LOG_ERR, LOG_WARN, LOG_INFO, LOG_DEBUG };

/* The only mutable global of the program: set once at start. */
extern enum log_level log_level_current;

void log_write(enum log_level level, const char *reqid, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Parse "err", "warn", "info", "debug"; returns -1 if unknown. */
int log_level_parse(const char *s);

#define log_at(lvl, reqid, ...)                                                \
	do {                                                                   \
		if ((lvl) <= log_level_current)                                \
			log_write((lvl), (reqid), __VA_ARGS__);                \
	} while (0)
#define log_err(...)   log_at(LOG_ERR, NULL, __VA_ARGS__)
#define log_warn(...)  log_at(LOG_WARN, NULL, __VA_ARGS__)
#define log_info(...)  log_at(LOG_INFO, NULL, __VA_ARGS__)
#define log_debug(...) log_at(LOG_DEBUG, NULL, __VA_ARGS__)

#endif
