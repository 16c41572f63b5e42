/* SPDX-License-Identifier: MIT */
/*
 * CSV reader. The input is decoded into one private, NUL-terminated UTF-8
 * copy in the arena, which is then split in place in a single pass: each
 * field's terminator is overwritten with NUL and quoted fields are unquoted
 * within their own bytes, so fields point into that copy and nothing else is
 * copied. Only scratch vectors live on the heap, freed before returning.
 */
#include <assert.h>
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/csv.h"
#include "core/xalloc.h"

#include "core/banned.h"

#define CSV_MAX_INPUT	   ((size_t)512 * 1024 * 1024)
#define CSV_MAX_FIELDS	   ((size_t)1000000)
#define CSV_SAMPLE_RECORDS 10
#define CSV_SAMPLE_BYTES   ((size_t)64 * 1024)

static const char *const encoding_names[] = {
    [CSV_UTF8] = "utf-8",	   [CSV_UTF8_BOM] = "utf-8-bom",
    [CSV_UTF16LE] = "utf-16le",	   [CSV_UTF16BE] = "utf-16be",
    [CSV_CP1252] = "windows-1252",
};
_Static_assert(sizeof(encoding_names) / sizeof(encoding_names[0]) ==
		   CSV_CP1252 + 1,
	       "one name per enum csv_encoding");

/* Bytes that end or interrupt a quoted field; NUL is only the sentinel. */
static const unsigned char quoted_stop[256] = {
    [0] = 1,
    ['"'] = 1,
    ['\r'] = 1,
    ['\n'] = 1,
};

/* State of the in-place split. */
struct splitter {
	char *p;		 /* next unread byte of the text */
	char *end;		 /* the NUL sentinel after the text */
	char delim;		 /* field separator */
	size_t line;		 /* 1-based line of p */
	const char **fields;	 /* owned scratch: current record's fields */
	size_t n_fields;	 /* used entries of fields */
	size_t cap_fields;	 /* allocated entries of fields */
	struct csv_record *recs; /* owned scratch: records so far */
	size_t n_recs;		 /* used entries of recs */
	size_t cap_recs;	 /* allocated entries of recs */
	unsigned char stop[256]; /* bytes that end an unquoted field */
};

const char *
csv_encoding_name(enum csv_encoding e)
{
	if ((unsigned)e > CSV_CP1252)
		return "unknown";
	return encoding_names[e];
}

/* Number of line breaks (CRLF, LF or lone CR) in s[0..len). */
static size_t
count_breaks(const char *s, size_t len)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\n' ||
		    (s[i] == '\r' && (i + 1 == len || s[i + 1] != '\n')))
			n++;
	}
	return n;
}

/*
 * Length of the valid UTF-8 sequence at s[0..avail) whose lead byte is not
 * ASCII; 0 when it is invalid.
 */
static size_t
utf8_seq_len(const unsigned char *s, size_t avail)
{
	unsigned char c = s[0];
	unsigned char lo = 0x80;
	unsigned char hi = 0xBF;
	size_t n;

	if (c >= 0xC2 && c <= 0xDF) {
		n = 2;
	} else if (c >= 0xE0 && c <= 0xEF) {
		n = 3;
		lo = c == 0xE0 ? 0xA0 : 0x80; /* no overlong forms */
		hi = c == 0xED ? 0x9F : 0xBF; /* no surrogates */
	} else if (c >= 0xF0 && c <= 0xF4) {
		n = 4;
		lo = c == 0xF0 ? 0x90 : 0x80;
		hi = c == 0xF4 ? 0x8F : 0xBF; /* up to U+10FFFF */
	} else {
		return 0;
	}
	if (avail < n || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t k = 2; k < n; k++) {
		if ((s[k] & 0xC0) != 0x80)
			return 0;
	}
	return n;
}

/* Offset of the first byte that does not belong to valid UTF-8, or len. */
static size_t
utf8_invalid_at(const unsigned char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		uint64_t w;
		size_t n;

		/* Eight ASCII bytes at a time. */
		while (i + 8 <= len) {
			memcpy(&w, s + i, sizeof(w));
			if (w & UINT64_C(0x8080808080808080))
				break;
			i += 8;
		}
		if (i == len)
			break;
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		n = utf8_seq_len(s + i, len - i);
		if (n == 0)
			return i;
		i += n;
	}
	return len;
}

/* Exact UTF-8 length of valid UTF-16 in[0..len), big or little endian. */
static size_t
utf16_utf8_len(const unsigned char *in, size_t len, int big_endian)
{
	size_t n = 0;
	int hi = big_endian ? 0 : 1;

	for (size_t i = 0; i + 1 < len; i += 2) {
		unsigned u = (unsigned)in[i + hi] << 8 | in[i + 1 - hi];

		if (u < 0x80)
			n += 1;
		else if (u < 0x800 || (u >= 0xD800 && u <= 0xDFFF))
			n += 2; /* a surrogate pair makes 4 bytes */
		else
			n += 3;
	}
	return n;
}

/* iconv's name for each encoding that needs converting. */
static const char *const iconv_names[] = {
    [CSV_UTF16LE] = "UTF-16LE",
    [CSV_UTF16BE] = "UTF-16BE",
    [CSV_CP1252] = "WINDOWS-1252",
};

/*
 * Convert in[0..len) from 'enc' to UTF-8 into a new arena buffer of at most
 * 'cap' bytes plus a NUL. OUT: *text, *text_len.
 */
static enum av_err
decode_iconv(enum csv_encoding enc, const char *in, size_t len, size_t cap,
	     struct arena *a, char **text, size_t *text_len,
	     struct av_error *err)
{
	iconv_t cd = iconv_open("UTF-8", iconv_names[enc]);
	char *buf;
	char *ip = (char *)in; /* iconv's prototype is not const-correct */
	char *op;
	size_t ileft = len;
	size_t oleft = cap;
	size_t rc;
	int e;

	if (cd == (iconv_t)-1)
		return av_errorf(err, AV_EUNSUPPORTED,
				 "cannot convert from %s: %s",
				 csv_encoding_name(enc), strerror(errno));
	buf = arena_alloc(a, cap + 1);
	op = buf;
	rc = iconv(cd, &ip, &ileft, &op, &oleft);
	e = errno;
	iconv_close(cd);
	if (rc == (size_t)-1) {
		size_t line = 1 + count_breaks(buf, (size_t)(op - buf));

		if (e == EILSEQ)
			return av_errorf(err, AV_EINVAL,
					 "invalid %s on line %zu",
					 csv_encoding_name(enc), line);
		if (e == EINVAL)
			return av_errorf(err, AV_EINVAL,
					 "truncated %s at the end of line %zu",
					 csv_encoding_name(enc), line);
		return av_errorf(err, AV_EINTERNAL,
				 "converting from %s failed: %s",
				 csv_encoding_name(enc), strerror(e));
	}
	*op = '\0';
	*text = buf;
	*text_len = (size_t)(op - buf);
	return AV_OK;
}

/*
 * Detect the encoding of data[0..len) and make the private UTF-8 copy that
 * the split works on. OUT: *text (arena, NUL-terminated), *text_len, *enc.
 */
static enum av_err
decode(const char *data, size_t len, struct arena *a, char **text,
       size_t *text_len, enum csv_encoding *enc, struct av_error *err)
{
	const unsigned char *u = (const unsigned char *)data;
	size_t bad;
	size_t high = 0;

	if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) ||
			 (u[0] == 0xFE && u[1] == 0xFF))) {
		int be = u[0] == 0xFE;

		*enc = be ? CSV_UTF16BE : CSV_UTF16LE;
		return decode_iconv(*enc, data + 2, len - 2,
				    utf16_utf8_len(u + 2, len - 2, be), a, text,
				    text_len, err);
	}
	*enc = CSV_UTF8;
	if (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
		*enc = CSV_UTF8_BOM;
		data += 3;
		u += 3;
		len -= 3;
	}
	bad = utf8_invalid_at(u, len);
	if (bad == len) {
		*text = arena_strndup(a, data, len);
		*text_len = len;
		return AV_OK;
	}
	if (*enc == CSV_UTF8_BOM)
		return av_errorf(err, AV_EINVAL, "invalid utf-8 on line %zu",
				 1 + count_breaks(data, bad));
	/* Not UTF-8: Windows-1252 needs at most 3 bytes per byte >= 0x80. */
	*enc = CSV_CP1252;
	for (size_t i = bad; i < len; i++)
		high += u[i] >> 7;
	return decode_iconv(CSV_CP1252, data, len, len + 2 * high, a, text,
			    text_len, err);
}

/*
 * Length of an Excel "sep=X" (or "\"sep=X\"") first line including its line
 * end, 0 when there is none; OUT: *delim.
 */
static size_t
sep_line(const char *s, size_t len, char *delim)
{
	size_t q = len > 0 && s[0] == '"'; /* 1 for the quoted form */
	size_t i = q + 5;		   /* just past "sep=X" */
	char d;

	if (len < i || strncasecmp(s + q, "sep=", 4) != 0)
		return 0;
	d = s[q + 4];
	if (d != ';' && d != ',' && d != '\t')
		return 0;
	if (q && (len == i || s[i++] != '"'))
		return 0;
	if (i < len && s[i] == '\r')
		i++;
	else if (i < len && s[i] != '\n')
		return 0;
	if (i < len && s[i] == '\n')
		i++;
	*delim = d;
	return i;
}

/*
 * End of the field at p, with the same quoting rules as the split; NULL when
 * its quote is never closed.
 */
static const char *
sample_field(const char *p, const char *end, char d)
{
	if (p < end && *p == '"') {
		for (p++; p < end; p++) {
			if (*p != '"')
				continue;
			if (p + 1 == end || p[1] != '"')
				break;
			p++;
		}
		if (p == end)
			return NULL;
	}
	while (p < end && *p != d && *p != '\r' && *p != '\n')
		p++;
	return p;
}

/*
 * Field counts of the first records of p[0..end) split at 'd'; returns how
 * many records were counted.
 */
static size_t
sample_counts(const char *p, const char *end, char d, size_t *counts)
{
	const char *start = p;
	size_t n = 0;

	while (p < end && n < CSV_SAMPLE_RECORDS &&
	       (size_t)(p - start) < CSV_SAMPLE_BYTES) {
		size_t nf = 1;

		if (*p == '\r' || *p == '\n') {
			p++; /* blank line, or the end of the last record */
			continue;
		}
		for (;;) {
			/* An unterminated quote ends the sample; the split
			 * reports it. */
			p = sample_field(p, end, d);
			if (!p)
				return n;
			if (p == end || *p != d)
				break;
			nf++;
			p++;
		}
		counts[n++] = nf;
	}
	return n;
}

/*
 * Pick ';' ',' or '\t' for text[0..len): the most columns among those that
 * split every sampled record into the same count > 1 (';' first on ties),
 * else the most header columns (',' first on ties), else ','.
 */
static char
detect_delimiter(const char *text, size_t len)
{
	static const char consistent_order[] = {';', ',', '\t'};
	static const char fallback_order[] = {',', ';', '\t'};
	size_t counts[CSV_SAMPLE_RECORDS];
	size_t best = 1;
	char pick = 0;

	for (size_t c = 0; c < sizeof(consistent_order); c++) {
		size_t n = sample_counts(text, text + len, consistent_order[c],
					 counts);
		size_t i = 1;

		while (i < n && counts[i] == counts[0])
			i++;
		if (n > 0 && i == n && counts[0] > best) {
			best = counts[0];
			pick = consistent_order[c];
		}
	}
	if (pick)
		return pick;
	for (size_t c = 0; c < sizeof(fallback_order); c++) {
		if (sample_counts(text, text + len, fallback_order[c], counts) >
			0 &&
		    counts[0] > best) {
			best = counts[0];
			pick = fallback_order[c];
		}
	}
	if (!pick)
		pick = ',';
	return pick;
}

/*
 * Unquote the field whose opening quote is at s->p within its own bytes and
 * NUL-terminate it. Text after the closing quote is kept, as Excel does.
 * Leaves s->p at the byte that ended the field; NULL when the quote is
 * never closed.
 */
static char *
split_quoted(struct splitter *s)
{
	char *start = s->p + 1;
	char *o = start;
	char *p = start;

	for (;;) {
		char *seg = p;
		char c;

		while (!quoted_stop[(unsigned char)*p])
			p++;
		if (o != seg)
			memmove(o, seg, (size_t)(p - seg));
		o += p - seg;
		c = *p;
		if (c == '"') {
			if (p[1] != '"')
				break;
			*o++ = '"';
			p += 2;
		} else if (c == '\0') {
			return NULL; /* the sentinel: no NUL inside the text */
		} else {
			p++;
			if (c == '\r' && *p == '\n')
				p++;
			*o++ = '\n';
			s->line++;
		}
	}
	/* Invariant: o < p from here on, so the NUL below keeps *p. */
	for (p++; !s->stop[(unsigned char)*p]; p++)
		*o++ = *p;
	*o = '\0';
	s->p = p;
	return start;
}

/* Copy the current record's fields to the arena and append the record. */
static void
push_record(struct splitter *s, size_t line, struct arena *a)
{
	const char **fields = arena_alloc(a, s->n_fields * sizeof(*fields));
	struct csv_record *r;

	memcpy(fields, s->fields, s->n_fields * sizeof(*fields));
	if (s->n_recs == s->cap_recs) {
		s->cap_recs = s->cap_recs ? 2 * s->cap_recs : 256;
		s->recs = xrealloc(s->recs, s->cap_recs * sizeof(*s->recs));
	}
	r = &s->recs[s->n_recs++];
	r->line = line;
	r->n_fields = s->n_fields;
	r->fields = fields;
}

/* Append f to the current record; -1 past CSV_MAX_FIELDS. */
static int
push_field(struct splitter *s, const char *f)
{
	if (s->n_fields == s->cap_fields) {
		if (s->n_fields == CSV_MAX_FIELDS)
			return -1;
		if (!s->cap_fields)
			s->cap_fields = 64;
		else if (s->cap_fields < CSV_MAX_FIELDS / 2)
			s->cap_fields *= 2;
		else
			s->cap_fields = CSV_MAX_FIELDS;
		s->fields =
		    xrealloc(s->fields, s->cap_fields * sizeof(*s->fields));
	}
	s->fields[s->n_fields++] = f;
	return 0;
}

/* Split one record starting at s->p, which is not a line end. */
static enum av_err
split_record(struct splitter *s, struct arena *a, struct av_error *err)
{
	size_t line = s->line;
	char *p = s->p;
	char c;

	s->n_fields = 0;
	for (;;) {
		char *f = p;

		if (*p == '"') {
			size_t field_line = s->line;

			s->p = p;
			f = split_quoted(s);
			if (!f)
				return av_errorf(err, AV_EINVAL,
						 "unterminated quoted field "
						 "starting on line %zu",
						 field_line);
			p = s->p;
		} else {
			while (!s->stop[(unsigned char)*p])
				p++;
		}
		c = *p;
		*p = '\0';
		if (push_field(s, f) != 0)
			return av_errorf(err, AV_ETOOBIG,
					 "record on line %zu has more than %zu "
					 "fields",
					 line, CSV_MAX_FIELDS);
		if (c != s->delim)
			break;
		p++;
	}
	if (c == '\r' || c == '\n') {
		p++;
		if (c == '\r' && *p == '\n')
			p++;
		s->line++;
	}
	s->p = p;
	push_record(s, line, a);
	return AV_OK;
}

/* Split text[0..len) (NUL at text[len], no NUL before) into records. */
static enum av_err
split(struct splitter *s, struct arena *a, struct av_error *err)
{
	while (s->p < s->end) {
		char c = *s->p;
		enum av_err rc;

		if (c == '\n' || c == '\r') {
			/* A blank line: skipped. */
			s->p++;
			if (c == '\r' && *s->p == '\n')
				s->p++;
			s->line++;
			continue;
		}
		rc = split_record(s, a, err);
		if (rc != AV_OK)
			return rc;
	}
	return AV_OK;
}

enum av_err
csv_parse(const char *data, size_t len, char delimiter, struct arena *a,
	  struct csv_doc *out, struct av_error *err)
{
	struct splitter s = {0};
	enum csv_encoding enc;
	enum av_err rc;
	char *text = NULL;
	const char *nul;
	size_t text_len = 0;
	size_t skip;
	char hint = 0;

	memset(out, 0, sizeof(*out));
	if (delimiter != 0 && delimiter != ';' && delimiter != ',' &&
	    delimiter != '\t')
		return av_field_errorf(err, AV_EINVAL, "delimiter",
				       "delimiter must be ';', ',' or tab");
	if (len > CSV_MAX_INPUT)
		return av_errorf(err, AV_ETOOBIG,
				 "input of %zu bytes is over the limit of %zu",
				 len, CSV_MAX_INPUT);
	rc = decode(data ? data : "", len, a, &text, &text_len, &enc, err);
	if (rc != AV_OK)
		return rc;
	assert(text); /* decode sets it on success */
	nul = memchr(text, '\0', text_len);
	if (nul)
		return av_errorf(err, AV_EINVAL, "NUL byte on line %zu",
				 1 + count_breaks(text, (size_t)(nul - text)));

	skip = sep_line(text, text_len, &hint);
	s.line = skip ? 2 : 1;
	if (!delimiter)
		delimiter = hint;
	if (!delimiter)
		delimiter = detect_delimiter(text + skip, text_len - skip);
	s.p = text + skip;
	s.end = text + text_len;
	s.delim = delimiter;
	s.stop[0] = 1;
	s.stop['\r'] = 1;
	s.stop['\n'] = 1;
	s.stop[(unsigned char)delimiter] = 1;
	rc = split(&s, a, err);
	if (rc != AV_OK)
		goto out;

	out->encoding = enc;
	out->delimiter = delimiter;
	out->had_sep_line = skip != 0;
	out->n_records = s.n_recs;
	if (s.n_recs) {
		out->records = arena_alloc(a, s.n_recs * sizeof(*s.recs));
		memcpy(out->records, s.recs, s.n_recs * sizeof(*s.recs));
	}
out:
	free(s.fields);
	free(s.recs);
	return rc;
}
