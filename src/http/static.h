/* SPDX-License-Identifier: MIT */
/*
 * Static files of the web UI, served read-only from one directory with the
 * content type taken from a fixed table of extensions (html, js, css, svg,
 * png, ico, json, woff2). Internal to src/http: the server calls it for GET
 * and HEAD requests that no route matched outside /api/.
 */
#ifndef AV_HTTP_STATIC_H
#define AV_HTTP_STATIC_H

#include "http/req.h"
#include "http/resp.h"

#define HTTP_STATIC_MAX_FILE (16u << 20) /* larger files are refused */

/*
 * Answer req->path from the directory 'root', which must be absolute and
 * free of symlinks (as realpath returns it). "/" serves "/index.html".
 * Segments that are empty or start with '.' (so "..", ".git"), extensions
 * outside the table, files that resolve outside 'root' through a symlink,
 * and anything that is not a regular file get a 404 problem. The file is
 * read into resp->body with "Cache-Control: no-cache". Thread-safe.
 */
void http_static_serve(const char *root, struct req *req, struct resp *resp);

#endif
