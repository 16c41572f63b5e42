/* SPDX-License-Identifier: MIT */
/*
 * Reading CSV as users really have it: the bytes of a whole file in, UTF-8
 * records out. Handles UTF-8 with or without BOM, UTF-16 LE/BE with BOM,
 * Windows-1252 (detected when the bytes are not valid UTF-8); an Excel
 * "sep=X" first line; the delimiter detected among ';' ',' '\t' (or given);
 * RFC 4180 quoting with embedded delimiters, doubled quotes and line breaks
 * (CRLF inside a field becomes "\n"); CRLF, LF or CR record ends; a
 * trailing empty column as Thunderbird writes it is kept as an empty field.
 * Pure: no I/O. All memory comes from the caller's arena.
 */
#ifndef AV_CSV_H
#define AV_CSV_H

#include <stddef.h>

#include "core/arena.h"
#include "core/err.h"

enum csv_encoding {
	CSV_UTF8,
	CSV_UTF8_BOM,
	CSV_UTF16LE,
	CSV_UTF16BE,
	CSV_CP1252
};

struct csv_record {
	size_t line;	     /* 1-based line where the record starts */
	size_t n_fields;     /* number of fields */
	const char **fields; /* arena: NUL-terminated UTF-8 values */
};

struct csv_doc {
	enum csv_encoding encoding; /* what the bytes were */
	char delimiter;		    /* ';' ',' or '\t' */
	int had_sep_line;	    /* an Excel "sep=" hint was consumed */
	size_t n_records;	    /* records including the header */
	struct csv_record *records; /* arena: records[0] is the header */
};

/* Name of an encoding for reports ("utf-8", "windows-1252", ...). */
const char *csv_encoding_name(enum csv_encoding e);

/*
 * Parse 'data[0..len)'. 'delimiter' 0 means detect; otherwise ';', ',' or
 * '\t' (anything else is AV_EINVAL naming "delimiter"). Fails with
 * AV_EINVAL naming the line for: an unterminated quote, a NUL byte (a
 * UTF-16 file without BOM ends here), invalid UTF-8 after a UTF-8 BOM, bytes
 * that Windows-1252 leaves undefined, broken UTF-16; AV_ETOOBIG for inputs
 * over 512 MiB or records over 1,000,000 fields. Blank lines between
 * records are skipped.
 */
enum av_err csv_parse(const char *data, size_t len, char delimiter,
		      struct arena *a, struct csv_doc *out,
		      struct av_error *err);

#endif
