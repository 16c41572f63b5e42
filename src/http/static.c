/* SPDX-License-Identifier: MIT */
/*
 * Static files: map a request path to a file under one root, refuse
 * anything hidden, unlisted or escaping the root, and copy the file into the
 * response body. The root is trusted configuration; the path is not.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/log.h"
#include "http/static.h"

#include "core/banned.h"

struct file_type {
	const char *ext;	  /* without the dot, lowercase */
	const char *content_type; /* sent as Content-Type */
};

static const struct file_type file_types[] = {
    {"html", "text/html; charset=utf-8"},
    {"js", "text/javascript; charset=utf-8"},
    {"css", "text/css; charset=utf-8"},
    {"svg", "image/svg+xml"},
    {"png", "image/png"},
    {"ico", "image/x-icon"},
    {"json", "application/json"},
    {"woff2", "font/woff2"},
};

static const char *
content_type_for(const char *name)
{
	const char *dot = strrchr(name, '.');

	if (!dot)
		return NULL;
	for (size_t i = 0; i < sizeof(file_types) / sizeof(file_types[0]); i++)
		if (strcmp(dot + 1, file_types[i].ext) == 0)
			return file_types[i].content_type;
	return NULL;
}

/* True if every segment of the decoded path is non-empty and does not
 * start with '.'; sets *last to the final segment. */
static bool
path_is_plain(const char *path, const char **last)
{
	const char *p = path;

	if (*p != '/')
		return false;
	while (*p == '/') {
		const char *seg = p + 1;

		if (*seg == '\0' || *seg == '/' || *seg == '.')
			return false;
		*last = seg;
		p = strchr(seg, '/');
		if (!p)
			return true;
	}
	return false;
}

static void
not_found(struct resp *resp)
{
	struct av_error err;

	av_errorf(&err, AV_ENOTFOUND, "no such page");
	resp_error(resp, &err);
}

/* Copy the regular file at 'fd' into the body; false on any failure. */
static bool
read_file(int fd, struct resp *resp)
{
	char chunk[16384];
	struct stat st;

	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    st.st_size > (off_t)HTTP_STATIC_MAX_FILE)
		return false;
	buf_reset(&resp->body);
	for (;;) {
		ssize_t n = read(fd, chunk, sizeof(chunk));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return false;
		if (n == 0)
			break;
		buf_add(&resp->body, chunk, (size_t)n);
	}
	return !buf_failed(&resp->body);
}

/*
 * Open the file that 'req' names under 'root'; -1 if there is none we may
 * serve. Sets *type to its content type.
 */
static int
open_file(const char *root, struct req *req, const char **type)
{
	const char *raw =
	    strcmp(req->path, "/") == 0 ? "/index.html" : req->path;
	const char *decoded = req_unescape(req->arena, raw, strlen(raw), false);
	const char *last = NULL;
	size_t root_len = strlen(root);
	char *real;
	int fd;

	if (!decoded || !path_is_plain(decoded, &last))
		return -1;
	*type = content_type_for(last);
	if (!*type)
		return -1;
	real = realpath(arena_printf(req->arena, "%s%s", root, decoded), NULL);
	/* The resolved file must stay under root, whatever symlinks say. */
	if (!real || strncmp(real, root, root_len) != 0 ||
	    real[root_len] != '/') {
		free(real);
		return -1;
	}
	fd = open(real, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	free(real);
	return fd;
}

void
http_static_serve(const char *root, struct req *req, struct resp *resp)
{
	const char *type = NULL;
	int fd = open_file(root, req, &type);

	if (fd < 0) {
		not_found(resp);
		return;
	}
	if (!read_file(fd, resp)) {
		close(fd);
		log_at(LOG_WARN, req->id,
		       "static file unreadable or over %u bytes",
		       HTTP_STATIC_MAX_FILE);
		not_found(resp);
		return;
	}
	close(fd);
	resp->status = 200;
	resp->content_type = type;
	(void)resp_header(resp, "Cache-Control", "no-cache");
}
