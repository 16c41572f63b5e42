/* SPDX-License-Identifier: MIT */
/*
 * CSV import of customers and contacts. The file is parsed by core/csv.c;
 * each header is folded and stripped to letters and digits, then looked
 * up in the alias table below, which also decides the layout (the layout
 * whose headers match most columns). Import runs in two passes over the
 * records: the first groups rows by customer (customer number, else
 * folded company or person name) with hash maps, the second merges each
 * group's values, upserts the customer once and then its contacts. All
 * writes are in one store transaction, committed only when no row was
 * rejected. Nothing here prints: the report carries every outcome.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "core/csv.h"
#include "core/fold.h"
#include "core/str.h"
#include "core/tz.h"
#include "core/xalloc.h"
#include "domain/customer.h"
#include "service/import.h"

#include "core/banned.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define NONE	     UINT32_MAX
#define MAX_OTHERS   20 /* more phone numbers of one person */
#define SCRATCH_ROWS 4096

/* ---- fields, layouts and the header table ---- */

/* What a column holds. Several columns may feed one field. */
enum field {
	F_UNKNOWN,
	F_IGNORE,
	F_AMOUNT,
	F_NUMBER,
	F_NAME,
	F_STATUS,
	F_PHONE,
	F_MOBILE,
	F_EMAIL,
	F_ADDRESS,
	F_ADDRESS2,
	F_POSTCODE,
	F_CITY,
	F_COUNTRY,
	F_TIME_ZONE,
	F_TERRITORY,
	F_OWNER,
	F_NOTES,
	F_CONTACT_NAME,
	F_CONTACT_TITLE,
	F_CONTACT_PHONE,
	F_CONTACT_MOBILE,
	F_CONTACT_EMAIL,
	F_CONTACT_NOTES,
	F_FIRST,
	F_MIDDLE,
	F_LAST,
	F_FULL_NAME,
	F_TAGS,
	F_OTHER_PHONE,
	F_EXTRA_EMAIL,
	F_HOME_ADDRESS,
	F_HOME_ADDRESS2,
	F_HOME_POSTCODE,
	F_HOME_CITY,
	F_HOME_COUNTRY,
	F_PHONE_TYPE,
	F_PHONE_VALUE,
	F_EMAIL_TYPE,
	F_EMAIL_VALUE,
	F__MAX
};

static const char *const field_names[F__MAX] = {
    [F_UNKNOWN] = NULL,
    [F_IGNORE] = "ignore",
    [F_AMOUNT] = "amount",
    [F_NUMBER] = "customer_number",
    [F_NAME] = "name",
    [F_STATUS] = "status",
    [F_PHONE] = "phone",
    [F_MOBILE] = "mobile",
    [F_EMAIL] = "email",
    [F_ADDRESS] = "address",
    [F_ADDRESS2] = "address_2",
    [F_POSTCODE] = "postcode",
    [F_CITY] = "city",
    [F_COUNTRY] = "country",
    [F_TIME_ZONE] = "time_zone",
    [F_TERRITORY] = "territory",
    [F_OWNER] = "owner",
    [F_NOTES] = "notes",
    [F_CONTACT_NAME] = "contact_name",
    [F_CONTACT_TITLE] = "contact_title",
    [F_CONTACT_PHONE] = "contact_phone",
    [F_CONTACT_MOBILE] = "contact_mobile",
    [F_CONTACT_EMAIL] = "contact_email",
    [F_CONTACT_NOTES] = "contact_notes",
    [F_FIRST] = "first_name",
    [F_MIDDLE] = "middle_name",
    [F_LAST] = "last_name",
    [F_FULL_NAME] = "full_name",
    [F_TAGS] = "tags",
    [F_OTHER_PHONE] = "other_phones",
    [F_EXTRA_EMAIL] = "extra_email",
    [F_HOME_ADDRESS] = "home_address",
    [F_HOME_ADDRESS2] = "home_address_2",
    [F_HOME_POSTCODE] = "home_postcode",
    [F_HOME_CITY] = "home_city",
    [F_HOME_COUNTRY] = "home_country",
    [F_PHONE_TYPE] = "phone_type",
    [F_PHONE_VALUE] = "phone_value",
    [F_EMAIL_TYPE] = "email_type",
    [F_EMAIL_VALUE] = "email_value",
};
_Static_assert(ARRAY_LEN(field_names) == F__MAX, "a name per field");

/* The fields --map accepts, in the order --help lists them. */
static const char *const mappable[] = {
    "customer_number",
    "name",
    "status",
    "phone",
    "mobile",
    "email",
    "address",
    "address_2",
    "postcode",
    "city",
    "country",
    "time_zone",
    "territory",
    "owner",
    "notes",
    "contact_name",
    "contact_title",
    "contact_phone",
    "contact_mobile",
    "contact_email",
    "contact_notes",
    "first_name",
    "middle_name",
    "last_name",
    "full_name",
    "tags",
    "other_phones",
    "ignore",
    NULL,
};

enum layout {
	L_CUSTOM, /* nothing recognised, or generic English headers */
	L_AVTALE,
	L_NORWEGIAN,
	L_OUTLOOK,
	L_GOOGLE,
	L_THUNDERBIRD,
	L__MAX
};

static const char *const layout_names[L__MAX] = {
    [L_CUSTOM] = "custom",	 [L_AVTALE] = "avtale",
    [L_NORWEGIAN] = "norwegian", [L_OUTLOOK] = "outlook",
    [L_GOOGLE] = "google",	 [L_THUNDERBIRD] = "thunderbird",
};
_Static_assert(ARRAY_LEN(layout_names) == L__MAX, "a name per layout");

/* Contact exports: each row is a person working at a company. */
static bool
layout_is_contacts(enum layout l)
{
	return l == L_OUTLOOK || l == L_GOOGLE || l == L_THUNDERBIRD;
}

struct alias {
	const char *key;      /* header folded, letters and digits only */
	unsigned char layout; /* enum layout that writes this header */
	unsigned char field;  /* enum field */
};

/*
 * Headers as the programs and people write them. A header counts for the
 * layout of its entry when the layout is detected; L_CUSTOM entries are
 * generic English names that point at no layout.
 */
static const struct alias aliases[] = {
    /* Avtale's own export */
    {"customernumber", L_AVTALE, F_NUMBER},
    {"name", L_AVTALE, F_NAME},
    {"status", L_AVTALE, F_STATUS},
    {"phone", L_AVTALE, F_PHONE},
    {"mobile", L_AVTALE, F_MOBILE},
    {"email", L_AVTALE, F_EMAIL},
    {"address", L_AVTALE, F_ADDRESS},
    {"postcode", L_AVTALE, F_POSTCODE},
    {"city", L_AVTALE, F_CITY},
    {"country", L_AVTALE, F_COUNTRY},
    {"timezone", L_AVTALE, F_TIME_ZONE},
    {"territory", L_AVTALE, F_TERRITORY},
    {"owner", L_AVTALE, F_OWNER},
    {"notes", L_AVTALE, F_NOTES},
    {"contactname", L_AVTALE, F_CONTACT_NAME},
    {"contacttitle", L_AVTALE, F_CONTACT_TITLE},
    {"contactphone", L_AVTALE, F_CONTACT_PHONE},
    {"contactmobile", L_AVTALE, F_CONTACT_MOBILE},
    {"contactemail", L_AVTALE, F_CONTACT_EMAIL},
    {"contactnotes", L_AVTALE, F_CONTACT_NOTES},
    {"tags", L_AVTALE, F_TAGS},
    {"otherphones", L_AVTALE, F_OTHER_PHONE},
    /* Norwegian headers people write */
    {"kundenummer", L_NORWEGIAN, F_NUMBER},
    {"kundenr", L_NORWEGIAN, F_NUMBER},
    {"firmanavn", L_NORWEGIAN, F_NAME},
    {"firma", L_NORWEGIAN, F_NAME},
    {"bedrift", L_NORWEGIAN, F_NAME},
    {"bedriftsnavn", L_NORWEGIAN, F_NAME},
    {"selskap", L_NORWEGIAN, F_NAME},
    {"selskapsnavn", L_NORWEGIAN, F_NAME},
    {"kunde", L_NORWEGIAN, F_NAME},
    {"kundenavn", L_NORWEGIAN, F_NAME},
    {"navn", L_NORWEGIAN, F_NAME},
    {"kontaktperson", L_NORWEGIAN, F_CONTACT_NAME},
    {"kontakt", L_NORWEGIAN, F_CONTACT_NAME},
    {"kontaktnavn", L_NORWEGIAN, F_CONTACT_NAME},
    {"tittel", L_NORWEGIAN, F_CONTACT_TITLE},
    {"stilling", L_NORWEGIAN, F_CONTACT_TITLE},
    {"stillingstittel", L_NORWEGIAN, F_CONTACT_TITLE},
    {"telefon", L_NORWEGIAN, F_PHONE},
    {"telefonnummer", L_NORWEGIAN, F_PHONE},
    {"telefonnr", L_NORWEGIAN, F_PHONE},
    {"tlf", L_NORWEGIAN, F_PHONE},
    {"tlfnr", L_NORWEGIAN, F_PHONE},
    {"sentralbord", L_NORWEGIAN, F_PHONE},
    {"mobil", L_NORWEGIAN, F_MOBILE},
    {"mobiltelefon", L_NORWEGIAN, F_MOBILE},
    {"mobilnummer", L_NORWEGIAN, F_MOBILE},
    {"mobilnr", L_NORWEGIAN, F_MOBILE},
    {"mobiltlf", L_NORWEGIAN, F_MOBILE},
    {"epost", L_NORWEGIAN, F_EMAIL},
    {"epostadresse", L_NORWEGIAN, F_EMAIL},
    {"adresse", L_NORWEGIAN, F_ADDRESS},
    {"gateadresse", L_NORWEGIAN, F_ADDRESS},
    {"besoksadresse", L_NORWEGIAN, F_ADDRESS},
    {"postadresse", L_NORWEGIAN, F_ADDRESS},
    {"postnummer", L_NORWEGIAN, F_POSTCODE},
    {"postnr", L_NORWEGIAN, F_POSTCODE},
    {"poststed", L_NORWEGIAN, F_CITY},
    {"sted", L_NORWEGIAN, F_CITY},
    {"by", L_NORWEGIAN, F_CITY},
    {"land", L_NORWEGIAN, F_COUNTRY},
    {"tidssone", L_NORWEGIAN, F_TIME_ZONE},
    {"distrikt", L_NORWEGIAN, F_TERRITORY},
    {"salgsdistrikt", L_NORWEGIAN, F_TERRITORY},
    {"omrade", L_NORWEGIAN, F_TERRITORY},
    {"region", L_NORWEGIAN, F_TERRITORY},
    {"selger", L_NORWEGIAN, F_OWNER},
    {"eier", L_NORWEGIAN, F_OWNER},
    {"ansvarlig", L_NORWEGIAN, F_OWNER},
    {"kundeansvarlig", L_NORWEGIAN, F_OWNER},
    {"notat", L_NORWEGIAN, F_NOTES},
    {"notater", L_NORWEGIAN, F_NOTES},
    {"merknad", L_NORWEGIAN, F_NOTES},
    {"merknader", L_NORWEGIAN, F_NOTES},
    {"kommentar", L_NORWEGIAN, F_NOTES},
    {"fornavn", L_NORWEGIAN, F_FIRST},
    {"mellomnavn", L_NORWEGIAN, F_MIDDLE},
    {"etternavn", L_NORWEGIAN, F_LAST},
    {"grupper", L_NORWEGIAN, F_TAGS},
    {"etiketter", L_NORWEGIAN, F_TAGS},
    {"omsetning", L_NORWEGIAN, F_AMOUNT},
    {"arsomsetning", L_NORWEGIAN, F_AMOUNT},
    {"belop", L_NORWEGIAN, F_AMOUNT},
    /* generic English headers */
    {"company", L_CUSTOM, F_NAME},
    {"companyname", L_CUSTOM, F_NAME},
    {"customer", L_CUSTOM, F_NAME},
    {"customername", L_CUSTOM, F_NAME},
    {"customerno", L_CUSTOM, F_NUMBER},
    {"firstname", L_CUSTOM, F_FIRST},
    {"middlename", L_CUSTOM, F_MIDDLE},
    {"lastname", L_CUSTOM, F_LAST},
    {"fullname", L_CUSTOM, F_FULL_NAME},
    {"phonenumber", L_CUSTOM, F_PHONE},
    {"telephone", L_CUSTOM, F_PHONE},
    {"tel", L_CUSTOM, F_PHONE},
    {"mobilephone", L_CUSTOM, F_MOBILE},
    {"mobilenumber", L_CUSTOM, F_MOBILE},
    {"cellphone", L_CUSTOM, F_MOBILE},
    {"emailaddress", L_CUSTOM, F_EMAIL},
    {"mail", L_CUSTOM, F_EMAIL},
    {"street", L_CUSTOM, F_ADDRESS},
    {"streetaddress", L_CUSTOM, F_ADDRESS},
    {"zip", L_CUSTOM, F_POSTCODE},
    {"zipcode", L_CUSTOM, F_POSTCODE},
    {"postalcode", L_CUSTOM, F_POSTCODE},
    {"town", L_CUSTOM, F_CITY},
    {"jobtitle", L_CUSTOM, F_CONTACT_TITLE},
    {"title", L_CUSTOM, F_CONTACT_TITLE},
    {"comment", L_CUSTOM, F_NOTES},
    {"comments", L_CUSTOM, F_NOTES},
    {"labels", L_CUSTOM, F_TAGS},
    {"groups", L_CUSTOM, F_TAGS},
    {"amount", L_CUSTOM, F_AMOUNT},
    {"revenue", L_CUSTOM, F_AMOUNT},
    {"turnover", L_CUSTOM, F_AMOUNT},
    /* Outlook contact export (English) */
    {"title", L_OUTLOOK, F_IGNORE}, /* Mr., Ms. */
    {"suffix", L_OUTLOOK, F_IGNORE},
    {"firstname", L_OUTLOOK, F_FIRST},
    {"middlename", L_OUTLOOK, F_MIDDLE},
    {"lastname", L_OUTLOOK, F_LAST},
    {"company", L_OUTLOOK, F_NAME},
    {"jobtitle", L_OUTLOOK, F_CONTACT_TITLE},
    {"businessstreet", L_OUTLOOK, F_ADDRESS},
    {"businessstreet2", L_OUTLOOK, F_ADDRESS2},
    {"businessstreet3", L_OUTLOOK, F_ADDRESS2},
    {"businesscity", L_OUTLOOK, F_CITY},
    {"businesspostalcode", L_OUTLOOK, F_POSTCODE},
    {"businesscountryregion", L_OUTLOOK, F_COUNTRY},
    {"businesscountry", L_OUTLOOK, F_COUNTRY},
    {"homestreet", L_OUTLOOK, F_HOME_ADDRESS},
    {"homestreet2", L_OUTLOOK, F_HOME_ADDRESS2},
    {"homestreet3", L_OUTLOOK, F_HOME_ADDRESS2},
    {"homecity", L_OUTLOOK, F_HOME_CITY},
    {"homepostalcode", L_OUTLOOK, F_HOME_POSTCODE},
    {"homecountryregion", L_OUTLOOK, F_HOME_COUNTRY},
    {"businessphone", L_OUTLOOK, F_PHONE},
    {"mobilephone", L_OUTLOOK, F_MOBILE},
    {"businessphone2", L_OUTLOOK, F_OTHER_PHONE},
    {"assistantsphone", L_OUTLOOK, F_OTHER_PHONE},
    {"callback", L_OUTLOOK, F_OTHER_PHONE},
    {"carphone", L_OUTLOOK, F_OTHER_PHONE},
    {"companymainphone", L_OUTLOOK, F_OTHER_PHONE},
    {"homephone", L_OUTLOOK, F_OTHER_PHONE},
    {"homephone2", L_OUTLOOK, F_OTHER_PHONE},
    {"isdn", L_OUTLOOK, F_OTHER_PHONE},
    {"otherphone", L_OUTLOOK, F_OTHER_PHONE},
    {"primaryphone", L_OUTLOOK, F_OTHER_PHONE},
    {"radiophone", L_OUTLOOK, F_OTHER_PHONE},
    {"ttytddphone", L_OUTLOOK, F_OTHER_PHONE},
    {"businessfax", L_OUTLOOK, F_OTHER_PHONE},
    {"homefax", L_OUTLOOK, F_OTHER_PHONE},
    {"otherfax", L_OUTLOOK, F_OTHER_PHONE},
    {"emailaddress", L_OUTLOOK, F_EMAIL},
    {"email2address", L_OUTLOOK, F_EXTRA_EMAIL},
    {"email3address", L_OUTLOOK, F_EXTRA_EMAIL},
    {"notes", L_OUTLOOK, F_NOTES},
    {"categories", L_OUTLOOK, F_TAGS},
    /* Google Contacts, legacy and current */
    {"name", L_GOOGLE, F_FULL_NAME},
    {"givenname", L_GOOGLE, F_FIRST},
    {"additionalname", L_GOOGLE, F_MIDDLE},
    {"familyname", L_GOOGLE, F_LAST},
    {"firstname", L_GOOGLE, F_FIRST},
    {"middlename", L_GOOGLE, F_MIDDLE},
    {"lastname", L_GOOGLE, F_LAST},
    {"notes", L_GOOGLE, F_NOTES},
    {"groupmembership", L_GOOGLE, F_TAGS},
    {"labels", L_GOOGLE, F_TAGS},
    {"organization1name", L_GOOGLE, F_NAME},
    {"organization1title", L_GOOGLE, F_CONTACT_TITLE},
    {"organizationname", L_GOOGLE, F_NAME},
    {"organizationtitle", L_GOOGLE, F_CONTACT_TITLE},
    {"address1street", L_GOOGLE, F_ADDRESS},
    {"address1city", L_GOOGLE, F_CITY},
    {"address1postalcode", L_GOOGLE, F_POSTCODE},
    {"address1country", L_GOOGLE, F_COUNTRY},
    /* Thunderbird address book export */
    {"firstname", L_THUNDERBIRD, F_FIRST},
    {"lastname", L_THUNDERBIRD, F_LAST},
    {"displayname", L_THUNDERBIRD, F_FULL_NAME},
    {"primaryemail", L_THUNDERBIRD, F_EMAIL},
    {"secondaryemail", L_THUNDERBIRD, F_EXTRA_EMAIL},
    {"workphone", L_THUNDERBIRD, F_PHONE},
    {"homephone", L_THUNDERBIRD, F_OTHER_PHONE},
    {"faxnumber", L_THUNDERBIRD, F_OTHER_PHONE},
    {"mobilenumber", L_THUNDERBIRD, F_MOBILE},
    {"homeaddress", L_THUNDERBIRD, F_HOME_ADDRESS},
    {"homeaddress2", L_THUNDERBIRD, F_HOME_ADDRESS2},
    {"homecity", L_THUNDERBIRD, F_HOME_CITY},
    {"homezipcode", L_THUNDERBIRD, F_HOME_POSTCODE},
    {"homecountry", L_THUNDERBIRD, F_HOME_COUNTRY},
    {"workaddress", L_THUNDERBIRD, F_ADDRESS},
    {"workaddress2", L_THUNDERBIRD, F_ADDRESS2},
    {"workcity", L_THUNDERBIRD, F_CITY},
    {"workzipcode", L_THUNDERBIRD, F_POSTCODE},
    {"workcountry", L_THUNDERBIRD, F_COUNTRY},
    {"jobtitle", L_THUNDERBIRD, F_CONTACT_TITLE},
    {"organization", L_THUNDERBIRD, F_NAME},
    {"notes", L_THUNDERBIRD, F_NOTES},
};

/* Country names and codes as written, folded, to ISO 3166 alpha-2. */
static const struct {
	const char *key;
	const char *iso;
} countries[] = {
    {"norge", "NO"},
    {"norway", "NO"},
    {"noreg", "NO"},
    {"nor", "NO"},
    {"sverige", "SE"},
    {"sweden", "SE"},
    {"swe", "SE"},
    {"danmark", "DK"},
    {"denmark", "DK"},
    {"dnk", "DK"},
    {"finland", "FI"},
    {"suomi", "FI"},
    {"fin", "FI"},
    {"island", "IS"},
    {"iceland", "IS"},
    {"isl", "IS"},
    {"tyskland", "DE"},
    {"germany", "DE"},
    {"deutschland", "DE"},
    {"deu", "DE"},
    {"storbritannia", "GB"},
    {"unitedkingdom", "GB"},
    {"uk", "GB"},
    {"greatbritain", "GB"},
    {"england", "GB"},
    {"skottland", "GB"},
    {"scotland", "GB"},
    {"wales", "GB"},
    {"gbr", "GB"},
    {"usa", "US"},
    {"unitedstates", "US"},
    {"unitedstatesofamerica", "US"},
    {"amerika", "US"},
    {"nederland", "NL"},
    {"netherlands", "NL"},
    {"holland", "NL"},
    {"nld", "NL"},
    {"frankrike", "FR"},
    {"france", "FR"},
    {"fra", "FR"},
    {"spania", "ES"},
    {"spain", "ES"},
    {"espana", "ES"},
    {"esp", "ES"},
    {"italia", "IT"},
    {"italy", "IT"},
    {"ita", "IT"},
    {"polen", "PL"},
    {"poland", "PL"},
    {"polska", "PL"},
    {"pol", "PL"},
    {"belgia", "BE"},
    {"belgium", "BE"},
    {"bel", "BE"},
    {"sveits", "CH"},
    {"switzerland", "CH"},
    {"schweiz", "CH"},
    {"che", "CH"},
    {"osterrike", "AT"},
    {"austria", "AT"},
    {"osterreich", "AT"},
    {"aut", "AT"},
    {"irland", "IE"},
    {"ireland", "IE"},
    {"irl", "IE"},
    {"portugal", "PT"},
    {"prt", "PT"},
    {"estland", "EE"},
    {"estonia", "EE"},
    {"est", "EE"},
    {"latvia", "LV"},
    {"lva", "LV"},
    {"litauen", "LT"},
    {"lithuania", "LT"},
    {"ltu", "LT"},
    {"faeroyane", "FO"},
    {"faeroyene", "FO"},
    {"faroeislands", "FO"},
    {"fro", "FO"},
    {"gronland", "GL"},
    {"greenland", "GL"},
    {"grl", "GL"},
    {"canada", "CA"},
    {"can", "CA"},
    {"australia", "AU"},
    {"aus", "AU"},
    {"kina", "CN"},
    {"china", "CN"},
    {"chn", "CN"},
    {"japan", "JP"},
    {"jpn", "JP"},
};

/* Status words, folded, to the status names of the model. */
static const struct {
	const char *key;
	enum customer_status status;
} statuses[] = {
    {"prospect", CUSTOMER_PROSPECT},
    {"prospekt", CUSTOMER_PROSPECT},
    {"lead", CUSTOMER_PROSPECT},
    {"potensiell", CUSTOMER_PROSPECT},
    {"potensiellkunde", CUSTOMER_PROSPECT},
    {"customer", CUSTOMER_CUSTOMER},
    {"kunde", CUSTOMER_CUSTOMER},
    {"aktiv", CUSTOMER_CUSTOMER},
    {"aktivkunde", CUSTOMER_CUSTOMER},
    {"client", CUSTOMER_CUSTOMER},
    {"former", CUSTOMER_FORMER},
    {"formercustomer", CUSTOMER_FORMER},
    {"tidligere", CUSTOMER_FORMER},
    {"tidligerekunde", CUSTOMER_FORMER},
    {"exkunde", CUSTOMER_FORMER},
    {"excustomer", CUSTOMER_FORMER},
    {"inaktiv", CUSTOMER_FORMER},
};

/* Customer fields a row can give, named as customer_prepare names them. */
enum cf {
	CF_NUMBER,
	CF_NAME,
	CF_STATUS,
	CF_PHONE,
	CF_EMAIL,
	CF_ADDRESS,
	CF_POSTCODE,
	CF_CITY,
	CF_COUNTRY,
	CF_TIME_ZONE,
	CF_TERRITORY,
	CF_OWNER,
	CF_NOTES,
	CF__MAX
};

static const char *const cf_names[CF__MAX] = {
    [CF_NUMBER] = "customer_number",
    [CF_NAME] = "name",
    [CF_STATUS] = "status",
    [CF_PHONE] = "phone",
    [CF_EMAIL] = "email",
    [CF_ADDRESS] = "address",
    [CF_POSTCODE] = "postcode",
    [CF_CITY] = "city",
    [CF_COUNTRY] = "country",
    [CF_TIME_ZONE] = "time_zone",
    [CF_TERRITORY] = "territory",
    [CF_OWNER] = "owner",
    [CF_NOTES] = "notes",
};
_Static_assert(ARRAY_LEN(cf_names) == CF__MAX, "a name per customer field");

/* Contact fields, named as contact_prepare names them. */
enum kf {
	KF_NAME,
	KF_TITLE,
	KF_PHONE,
	KF_MOBILE,
	KF_EMAIL,
	KF_NOTES,
	KF_OTHER_PHONES,
	KF_TAGS,
	KF__MAX
};

static const char *const kf_names[KF__MAX] = {
    [KF_NAME] = "name",
    [KF_TITLE] = "title",
    [KF_PHONE] = "phone",
    [KF_MOBILE] = "mobile",
    [KF_EMAIL] = "email",
    [KF_NOTES] = "notes",
    [KF_OTHER_PHONES] = "other_phones",
    [KF_TAGS] = "tags",
};
_Static_assert(ARRAY_LEN(kf_names) == KF__MAX, "a name per contact field");

/* ---- a string-keyed hash map (open addressing, keys borrowed) ---- */

struct hslot {
	const char *key; /* borrowed; NULL = empty slot */
	uint32_t hash;	 /* FNV-1a of key */
	uint32_t val;	 /* caller's value */
};

struct hmap {
	struct hslot *slots; /* owned */
	size_t cap;	     /* power of two, or 0 */
	size_t n;	     /* used slots */
};

static uint32_t
hash_str(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 16777619u;
	}
	return h;
}

static struct hslot *
hmap_slot(const struct hmap *m, const char *key, uint32_t h)
{
	size_t i = h & (m->cap - 1);

	while (m->slots[i].key &&
	       (m->slots[i].hash != h || strcmp(m->slots[i].key, key) != 0))
		i = (i + 1) & (m->cap - 1);
	return &m->slots[i];
}

static bool
hmap_get(const struct hmap *m, const char *key, uint32_t *val)
{
	const struct hslot *sl;

	if (!m->cap)
		return false;
	sl = hmap_slot(m, key, hash_str(key));
	if (!sl->key)
		return false;
	*val = sl->val;
	return true;
}

/* Insert or replace; 'key' must outlive the map. */
static void
hmap_put(struct hmap *m, const char *key, uint32_t val)
{
	uint32_t h = hash_str(key);
	struct hslot *sl;

	if ((m->n + 1) * 10 > m->cap * 7) {
		struct hmap bigger = {0};

		bigger.cap = m->cap ? m->cap * 2 : 64;
		bigger.slots = xcalloc(bigger.cap, sizeof(struct hslot));
		for (size_t i = 0; i < m->cap; i++) {
			if (!m->slots[i].key)
				continue;
			*hmap_slot(&bigger, m->slots[i].key, m->slots[i].hash) =
			    m->slots[i];
			bigger.n++;
		}
		free(m->slots);
		*m = bigger;
	}
	sl = hmap_slot(m, key, h);
	if (!sl->key)
		m->n++;
	sl->key = key;
	sl->hash = h;
	sl->val = val;
}

static void
hmap_release(struct hmap *m)
{
	free(m->slots);
	memset(m, 0, sizeof(*m));
}

/* ---- import state ---- */

/* How one column is read. */
struct col {
	const char *header; /* as written (csv arena) */
	const char *key;    /* folded letters and digits (report arena) */
	enum field field;   /* what it holds */
	int index;	    /* N of "Phone N - Value" style columns */
	int pair;	    /* for *_VALUE columns: the *_TYPE column, or -1 */
	bool explicit_map;  /* set by --map */
	bool has_values;    /* some data row has a value here */
};

/* Rows that belong to one customer, in file order. */
struct group {
	const char *key; /* number or folded name (report arena); NULL if
			    the row had neither */
	bool by_number;	 /* key is a customer number */
	uint32_t first;	 /* first data row (0-based) */
	uint32_t last;	 /* last data row */
	uint32_t n_rows; /* rows in the group */
};

/* An issue before sorting; seq keeps equal lines in insertion order. */
struct issue_ent {
	struct import_issue is; /* the issue */
	size_t seq;		/* insertion order */
};

struct issues {
	struct issue_ent *v; /* owned */
	size_t n;	     /* listed */
	size_t cap;	     /* allocated */
	size_t total;	     /* listed or not */
};

struct imp {
	struct store *s;		     /* borrowed */
	const struct import_options *opt;    /* borrowed */
	struct arena *a;		     /* borrowed: report arena */
	struct arena scratch;		     /* owned: per row or group */
	struct import_report *r;	     /* borrowed: being filled */
	struct csv_doc doc;		     /* records in 'a' */
	struct col *cols;		     /* arena: one per header column */
	size_t n_cols;			     /* header columns */
	enum layout layout;		     /* detected layout */
	bool contacts;			     /* layout_is_contacts(layout) */
	enum customer_status default_status; /* for new customers */
	int64_t default_owner;		     /* for new customers */
	struct group *groups;		     /* owned */
	size_t n_groups;		     /* used */
	size_t cap_groups;		     /* allocated */
	uint32_t *next;			     /* owned: next row in group */
	struct hmap by_number;		     /* number -> group */
	struct hmap by_name;		     /* folded name -> group */
	struct hmap terr_map;		     /* folded name -> terr_ids */
	int64_t *terr_ids;		     /* owned */
	size_t n_terr;			     /* used */
	struct hmap owner_map;		     /* e-mail -> owner_ids */
	int64_t *owner_ids;		     /* owned: id, 0 unknown,
						-1 disabled */
	size_t n_owner;			     /* used */
	struct import_territory *new_terr;   /* owned */
	size_t n_new_terr;		     /* used */
	bool num_ready;			     /* next_num computed */
	int64_t next_num;		     /* next generated number */
	uint64_t done;			     /* rows processed, phase 2 */
	uint64_t total;			     /* data rows */
	struct issues rejected;		     /* rejected rows */
	struct issues warnings;		     /* warnings */
	size_t seq;			     /* issue counter */
	bool fatal;			     /* a store error stopped us */
	struct av_error ferr;		     /* that error */
};

static void
issue_vadd(struct imp *im, struct issues *l, size_t line, int col,
	   const char *field, const char *fmt, va_list ap)
{
	char msg[512];
	struct issue_ent *e;

	l->total++;
	if (l->n >= IMPORT_MAX_LISTED)
		return;
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 16;
		l->v = xrealloc(l->v, l->cap * sizeof(*l->v));
	}
	vsnprintf(msg, sizeof(msg), fmt, ap);
	e = &l->v[l->n++];
	e->seq = im->seq++;
	e->is.line = line;
	e->is.column =
	    col >= 0 && (size_t)col < im->n_cols ? im->cols[col].header : NULL;
	e->is.field = field ? arena_strdup(im->a, field) : NULL;
	e->is.reason = arena_strdup(im->a, msg);
}

static void warn(struct imp *im, size_t line, int col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void
warn(struct imp *im, size_t line, int col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	issue_vadd(im, &im->warnings, line, col, NULL, fmt, ap);
	va_end(ap);
}

static void reject(struct imp *im, size_t line, int col, const char *field,
		   const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static void
reject(struct imp *im, size_t line, int col, const char *field, const char *fmt,
       ...)
{
	va_list ap;

	va_start(ap, fmt);
	issue_vadd(im, &im->rejected, line, col, field, fmt, ap);
	va_end(ap);
}

/* A store failure ends the import; keep the first one. */
static void
fail_store(struct imp *im, const struct av_error *e)
{
	if (im->fatal)
		return;
	im->fatal = true;
	im->ferr = *e;
}

static int
issue_cmp(const void *pa, const void *pb)
{
	const struct issue_ent *a = pa;
	const struct issue_ent *b = pb;

	if (a->is.line != b->is.line)
		return a->is.line < b->is.line ? -1 : 1;
	return (a->seq > b->seq) - (a->seq < b->seq);
}

/* Sorted arena copy of a list; the list's own memory is freed. */
static struct import_issue *
issues_finish(struct imp *im, struct issues *l, size_t *n_out)
{
	struct import_issue *out;

	if (l->n > 1)
		qsort(l->v, l->n, sizeof(*l->v), issue_cmp);
	out = arena_alloc(im->a, (l->n ? l->n : 1) * sizeof(*out));
	for (size_t i = 0; i < l->n; i++)
		out[i] = l->v[i].is;
	*n_out = l->n;
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
	return out;
}

/* ---- small text helpers ---- */

/* Folded, lowercase, only letters, digits and non-ASCII kept. */
static char *
norm_key(struct arena *a, const char *s)
{
	char *f = fold_search(a, s, strlen(s));
	char *o;

	if (!f)
		f = arena_strdup(a, s);
	o = f;
	for (const char *p = f; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c >= 0x80 || isalnum(c))
			*o++ = (char)tolower(c);
	}
	*o = '\0';
	return f;
}

/* The value without surrounding blanks, NULL when empty. */
static const char *
trimmed(struct arena *a, const char *s)
{
	struct str t;

	if (!s)
		return NULL;
	t = str_trim(str_from(s));
	if (!t.len)
		return NULL;
	if (t.p == s && s[t.len] == '\0')
		return s;
	return arena_strndup(a, t.p, t.len);
}

static bool
same_str(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

/* Equal after folding ("ÆRØ AS" and "Ærø AS"). */
static bool
same_fold(struct arena *a, const char *x, const char *y)
{
	const char *fx = fold_search(a, x, strlen(x));
	const char *fy = fold_search(a, y, strlen(y));

	return fx && fy && strcmp(fx, fy) == 0;
}

static char *
ascii_lower(struct arena *a, const char *s)
{
	char *d = arena_strdup(a, s);

	for (char *p = d; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return d;
}

/*
 * Split 's' at ":::" (Google's multi-value separator, written " ::: ")
 * into at most 'max' trimmed, non-empty arena copies; returns the count.
 */
static size_t
split_multi(struct arena *a, const char *s, const char **out, size_t max)
{
	size_t n = 0;

	while (s && *s && n < max) {
		const char *sep = strstr(s, ":::");
		size_t len = sep ? (size_t)(sep - s) : strlen(s);
		struct str t = str_trim((struct str){s, len});

		if (t.len)
			out[n++] = arena_strndup(a, t.p, t.len);
		s = sep ? sep + 3 : NULL;
	}
	return n;
}

/* ---- header mapping and layout detection ---- */

static const char *
field_name(enum field f)
{
	return (unsigned)f < F__MAX ? field_names[f] : NULL;
}

static bool
field_parse(const char *name, enum field *out)
{
	for (size_t i = 0; mappable[i]; i++) {
		if (strcmp(mappable[i], name) != 0)
			continue;
		for (int f = 0; f < F__MAX; f++) {
			if (field_names[f] &&
			    strcmp(field_names[f], name) == 0) {
				*out = (enum field)f;
				return true;
			}
		}
	}
	return false;
}

/* "phone1type", "email2value", "phone3label": Google's typed columns. */
static bool
typed_column(const char *key, enum field *f, int *index)
{
	const char *p;
	bool phone;
	int n = 0;

	if (strncmp(key, "phone", 5) == 0) {
		phone = true;
		p = key + 5;
	} else if (strncmp(key, "email", 5) == 0) {
		phone = false;
		p = key + 5;
	} else {
		return false;
	}
	if (!isdigit((unsigned char)*p))
		return false;
	while (isdigit((unsigned char)*p) && n < 1000)
		n = n * 10 + (*p++ - '0');
	if (strcmp(p, "type") == 0 || strcmp(p, "label") == 0)
		*f = phone ? F_PHONE_TYPE : F_EMAIL_TYPE;
	else if (strcmp(p, "value") == 0)
		*f = phone ? F_PHONE_VALUE : F_EMAIL_VALUE;
	else
		return false;
	*index = n;
	return true;
}

static bool
alias_find(const char *key, enum layout l, enum field *out)
{
	for (size_t i = 0; i < ARRAY_LEN(aliases); i++) {
		if (aliases[i].layout == l &&
		    strcmp(aliases[i].key, key) == 0) {
			*out = (enum field)aliases[i].field;
			return true;
		}
	}
	return false;
}

static enum layout
detect_layout(const struct col *cols, size_t n)
{
	size_t score[L__MAX] = {0};
	enum layout best = L_CUSTOM;

	for (size_t i = 0; i < n; i++) {
		enum field f;
		int idx;

		for (int l = L_AVTALE; l < L__MAX; l++)
			if (alias_find(cols[i].key, (enum layout)l, &f))
				score[l]++;
		if (typed_column(cols[i].key, &f, &idx))
			score[L_GOOGLE]++;
	}
	for (int l = L_AVTALE; l < L__MAX; l++)
		if (score[l] > score[best])
			best = (enum layout)l;
	return best;
}

static enum field
map_column(struct col *c, enum layout l)
{
	static const enum layout fallback[] = {L_AVTALE, L_NORWEGIAN, L_CUSTOM};
	enum field f;

	if (!c->key[0])
		return F_IGNORE; /* Thunderbird's trailing empty column */
	if (alias_find(c->key, l, &f))
		return f;
	if (typed_column(c->key, &f, &c->index))
		return f;
	for (size_t i = 0; i < ARRAY_LEN(fallback); i++)
		if (alias_find(c->key, fallback[i], &f))
			return f;
	return F_UNKNOWN;
}

static bool
has_field(const struct imp *im, enum field f)
{
	for (size_t i = 0; i < im->n_cols; i++)
		if (im->cols[i].field == f)
			return true;
	return false;
}

static enum av_err
map_header(struct imp *im, struct av_error *err)
{
	const struct csv_record *h = &im->doc.records[0];
	const struct import_options *opt = im->opt;

	im->n_cols = h->n_fields;
	im->cols = arena_alloc(im->a, (h->n_fields ? h->n_fields : 1) *
					  sizeof(*im->cols));
	for (size_t i = 0; i < h->n_fields; i++) {
		im->cols[i].header = h->fields[i];
		im->cols[i].key = norm_key(im->a, h->fields[i]);
		im->cols[i].pair = -1;
	}
	im->layout = detect_layout(im->cols, im->n_cols);
	im->contacts = layout_is_contacts(im->layout);
	for (size_t i = 0; i < im->n_cols; i++)
		im->cols[i].field = map_column(&im->cols[i], im->layout);

	for (size_t m = 0; m < opt->n_maps; m++) {
		const char *key = norm_key(im->a, opt->maps[m].column);
		enum field f;
		bool found = false;

		if (!field_parse(opt->maps[m].field, &f))
			return av_field_errorf(err, AV_EINVAL, "map",
					       "--map: unknown field '%s'",
					       opt->maps[m].field);
		for (size_t i = 0; i < im->n_cols; i++) {
			if (strcmp(im->cols[i].key, key) != 0)
				continue;
			im->cols[i].field = f;
			im->cols[i].explicit_map = true;
			found = true;
		}
		if (!found)
			return av_field_errorf(err, AV_EINVAL, "map",
					       "--map: the file has no column "
					       "'%s'",
					       opt->maps[m].column);
	}

	/* Pair "Phone N - Value" with its "Phone N - Type". */
	for (size_t i = 0; i < im->n_cols; i++) {
		enum field tf;

		if (im->cols[i].field == F_PHONE_VALUE)
			tf = F_PHONE_TYPE;
		else if (im->cols[i].field == F_EMAIL_VALUE)
			tf = F_EMAIL_TYPE;
		else
			continue;
		for (size_t j = 0; j < im->n_cols; j++)
			if (im->cols[j].field == tf &&
			    im->cols[j].index == im->cols[i].index)
				im->cols[i].pair = (int)j;
	}
	return AV_OK;
}

/* No column that names the customer: say what we saw. */
static enum av_err
no_name_error(struct imp *im, struct av_error *err)
{
	char list[200];
	size_t used = 0;

	list[0] = '\0';
	for (size_t i = 0; i < im->n_cols && used < sizeof(list); i++) {
		int n = snprintf(list + used, sizeof(list) - used, "%s'%s'",
				 i ? ", " : "", im->cols[i].header);
		if (n < 0)
			break;
		used += (size_t)n;
	}
	if (used >= sizeof(list))
		memcpy(list + sizeof(list) - 4, "...", 4);
	return av_errorf(err, AV_EINVAL,
			 "no column gives a customer or person name (columns "
			 "found: %s); name one with --map 'COLUMN=name'",
			 list);
}

/* ---- values ---- */

static const char *
country_iso(struct arena *a, const char *v)
{
	const char *k = norm_key(a, v);
	char *iso;

	for (size_t i = 0; i < ARRAY_LEN(countries); i++)
		if (strcmp(countries[i].key, k) == 0)
			return countries[i].iso;
	if (strlen(k) != 2 || !isalpha((unsigned char)k[0]) ||
	    !isalpha((unsigned char)k[1]))
		return NULL;
	iso = arena_strdup(a, k);
	iso[0] = (char)toupper((unsigned char)iso[0]);
	iso[1] = (char)toupper((unsigned char)iso[1]);
	return iso;
}

static bool
status_parse(struct arena *a, const char *v, enum customer_status *out)
{
	const char *k = norm_key(a, v);

	for (size_t i = 0; i < ARRAY_LEN(statuses); i++) {
		if (strcmp(statuses[i].key, k) == 0) {
			*out = statuses[i].status;
			return true;
		}
	}
	return false;
}

/* ---- one row ---- */

enum side { SIDE_CUSTOMER, SIDE_CONTACT };
enum phone_kind { PK_PHONE, PK_MOBILE, PK_OTHER };

/* A data row read into customer and contact fields. */
struct row {
	size_t line;			/* line in the file */
	bool empty;			/* no value in any used column */
	bool bad;			/* rejected */
	const char *cv[CF__MAX];	/* customer values, NULL = not given */
	int ccol[CF__MAX];		/* column of each, -1 */
	bool has_contact;		/* a person at a company */
	const char *kv[KF__MAX];	/* contact values */
	int kcol[KF__MAX];		/* column of each, -1 */
	const char *others[MAX_OTHERS]; /* more phone numbers */
	size_t n_others;		/* used */
	const char *err_field;		/* row-level problem, or NULL */
	const char *err_reason;		/* its reason */
	int err_col;			/* its column */
};

/* Context of building one row. */
struct rb {
	struct imp *im;		      /* the import */
	struct arena *a;	      /* scratch */
	bool emit;		      /* report warnings (second pass) */
	struct row *row;	      /* being filled */
	const struct csv_record *rec; /* the record */
	enum side ps;		      /* where the person's data goes */
};

static void rb_warn(struct rb *b, int col, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void
rb_warn(struct rb *b, int col, const char *fmt, ...)
{
	va_list ap;

	if (!b->emit)
		return;
	va_start(ap, fmt);
	issue_vadd(b->im, &b->im->warnings, b->row->line, col, NULL, fmt, ap);
	va_end(ap);
}

static void
rb_error(struct rb *b, int col, const char *field, const char *reason)
{
	if (b->row->err_reason)
		return;
	b->row->err_field = field;
	b->row->err_reason = reason;
	b->row->err_col = col;
}

static const char *
cell(const struct rb *b, size_t i)
{
	if (i >= b->rec->n_fields)
		return NULL;
	return trimmed(b->a, b->rec->fields[i]);
}

static void
set_c(struct rb *b, enum cf f, const char *v, int col)
{
	if (!v || b->row->cv[f])
		return;
	b->row->cv[f] = v;
	b->row->ccol[f] = col;
}

static void
set_k(struct rb *b, enum kf f, const char *v, int col)
{
	if (!v || b->row->kv[f])
		return;
	b->row->kv[f] = v;
	b->row->kcol[f] = col;
}

static void
dropped(struct rb *b, int col, const char *what, const char *v)
{
	rb_warn(b, col,
		"%s '%s' has no place on a customer without a contact "
		"person; ignored",
		what, v);
}

static void
place_phone(struct rb *b, enum side side, enum phone_kind kind, const char *v,
	    int col)
{
	struct row *r = b->row;

	if (side == SIDE_CUSTOMER) {
		if (!r->cv[CF_PHONE])
			set_c(b, CF_PHONE, v, col);
		else if (!same_str(r->cv[CF_PHONE], v))
			dropped(b, col, "phone number", v);
		return;
	}
	if (same_str(r->kv[KF_PHONE], v) || same_str(r->kv[KF_MOBILE], v))
		return;
	for (size_t i = 0; i < r->n_others; i++)
		if (strcmp(r->others[i], v) == 0)
			return;
	if (kind == PK_PHONE && !r->kv[KF_PHONE]) {
		set_k(b, KF_PHONE, v, col);
		return;
	}
	if (kind == PK_MOBILE && !r->kv[KF_MOBILE]) {
		set_k(b, KF_MOBILE, v, col);
		return;
	}
	if (r->n_others == MAX_OTHERS) {
		rb_warn(b, col, "more than %d phone numbers; '%s' ignored",
			MAX_OTHERS, v);
		return;
	}
	if (!r->n_others)
		r->kcol[KF_OTHER_PHONES] = col;
	r->others[r->n_others++] = v;
}

static void
place_email(struct rb *b, enum side side, const char *v, int col)
{
	struct row *r = b->row;
	const char *cur =
	    side == SIDE_CUSTOMER ? r->cv[CF_EMAIL] : r->kv[KF_EMAIL];

	if (!cur) {
		if (side == SIDE_CUSTOMER)
			set_c(b, CF_EMAIL, v, col);
		else
			set_k(b, KF_EMAIL, v, col);
	} else if (!str_ieq(cur, v)) {
		rb_warn(b, col,
			"a second e-mail address '%s' has no field in "
			"Avtale; ignored",
			v);
	}
}

static void
place_text(struct rb *b, enum side side, enum cf cfield, enum kf kfield,
	   const char *v, int col)
{
	const char *cur =
	    side == SIDE_CUSTOMER ? b->row->cv[cfield] : b->row->kv[kfield];

	if (!cur) {
		if (side == SIDE_CUSTOMER)
			set_c(b, cfield, v, col);
		else
			set_k(b, kfield, v, col);
	} else if (!same_str(cur, v)) {
		rb_warn(b, col, "another column already gives %s; '%s' ignored",
			side == SIDE_CUSTOMER ? cf_names[cfield]
					      : kf_names[kfield],
			v);
	}
}

/* Phone type written by Google ("Mobile", "Work", "Home Fax", ...). */
static enum phone_kind
phone_kind_of(struct arena *a, const char *type)
{
	const char *k;

	if (!type)
		return PK_OTHER;
	k = norm_key(a, type);
	if (strstr(k, "fax") || strstr(k, "pager"))
		return PK_OTHER;
	if (strstr(k, "mobil") || strstr(k, "cell"))
		return PK_MOBILE;
	if (strstr(k, "work") || strstr(k, "business") || strstr(k, "jobb") ||
	    strstr(k, "arbeid"))
		return PK_PHONE;
	return PK_OTHER;
}

static void
row_phones(struct rb *b)
{
	struct imp *im = b->im;
	enum side own = im->contacts ? b->ps : SIDE_CUSTOMER;

	/* dedicated contact columns first, then the general ones */
	for (size_t i = 0; i < im->n_cols; i++) {
		const char *v;

		if (im->cols[i].field != F_CONTACT_PHONE &&
		    im->cols[i].field != F_CONTACT_MOBILE)
			continue;
		v = cell(b, i);
		if (v)
			place_phone(b, b->ps,
				    im->cols[i].field == F_CONTACT_PHONE
					? PK_PHONE
					: PK_MOBILE,
				    v, (int)i);
	}
	for (size_t i = 0; i < im->n_cols; i++) {
		const char *v;

		if (im->cols[i].field != F_PHONE &&
		    im->cols[i].field != F_MOBILE)
			continue;
		v = cell(b, i);
		if (!v)
			continue;
		if (im->cols[i].field == F_PHONE)
			place_phone(b, own, PK_PHONE, v, (int)i);
		else
			place_phone(b, b->ps, PK_MOBILE, v, (int)i);
	}
	for (size_t i = 0; i < im->n_cols; i++) {
		const char *parts[MAX_OTHERS];
		const char *type;
		enum phone_kind kind;
		size_t n;

		if (im->cols[i].field != F_PHONE_VALUE)
			continue;
		type = im->cols[i].pair >= 0 ? cell(b, (size_t)im->cols[i].pair)
					     : NULL;
		kind = phone_kind_of(b->a, type);
		n = split_multi(b->a, cell(b, i), parts, MAX_OTHERS);
		for (size_t k = 0; k < n; k++)
			place_phone(b, b->ps, k ? PK_OTHER : kind, parts[k],
				    (int)i);
	}
	for (size_t i = 0; i < im->n_cols; i++) {
		const char *v;

		if (im->cols[i].field != F_OTHER_PHONE)
			continue;
		v = cell(b, i);
		if (v)
			place_phone(b, b->ps, PK_OTHER, v, (int)i);
	}
}

static void
row_emails(struct rb *b)
{
	struct imp *im = b->im;
	enum side own = im->contacts ? b->ps : SIDE_CUSTOMER;
	static const enum field order[] = {F_CONTACT_EMAIL, F_EMAIL,
					   F_EMAIL_VALUE, F_EXTRA_EMAIL};

	for (size_t o = 0; o < ARRAY_LEN(order); o++) {
		for (size_t i = 0; i < im->n_cols; i++) {
			const char *parts[MAX_OTHERS];
			size_t n;

			if (im->cols[i].field != order[o])
				continue;
			n = split_multi(b->a, cell(b, i), parts, MAX_OTHERS);
			for (size_t k = 0; k < n; k++)
				place_email(b,
					    order[o] == F_EMAIL ? own : b->ps,
					    parts[k], (int)i);
		}
	}
}

/* Groups and labels: split, "* " removed, duplicates dropped. */
static void
row_tags(struct rb *b)
{
	struct imp *im = b->im;
	const char *tags[MAX_OTHERS];
	size_t n = 0;
	int col = -1;
	size_t len = 0;
	char *out;

	for (size_t i = 0; i < im->n_cols; i++) {
		const char *v;

		if (im->cols[i].field != F_TAGS)
			continue;
		v = cell(b, i);
		while (v && *v) {
			size_t l = strcspn(v, ";\n");
			const char *sep = strstr(v, ":::");
			struct str t;
			bool dup = false;

			if (sep && (size_t)(sep - v) < l)
				l = (size_t)(sep - v);
			t = str_trim((struct str){v, l});
			v += l;
			v += *v == ':' ? 3 : (*v ? 1 : 0);
			if (t.len >= 2 && t.p[0] == '*' && t.p[1] == ' ')
				t = str_trim((struct str){t.p + 2, t.len - 2});
			if (!t.len)
				continue;
			for (size_t k = 0; k < n && !dup; k++)
				dup = strlen(tags[k]) == t.len &&
				      memcmp(tags[k], t.p, t.len) == 0;
			if (dup)
				continue;
			if (n == MAX_OTHERS) {
				rb_warn(b, (int)i,
					"more than %d tags; rest "
					"ignored",
					MAX_OTHERS);
				break;
			}
			if (col < 0)
				col = (int)i;
			tags[n++] = arena_strndup(b->a, t.p, t.len);
			len += t.len + 1;
		}
	}
	if (!n)
		return;
	out = arena_alloc(b->a, len);
	len = 0;
	for (size_t k = 0; k < n; k++) {
		size_t l = strlen(tags[k]);
		memcpy(out + len, tags[k], l);
		len += l;
		out[len++] = k + 1 < n ? '\n' : '\0';
	}
	if (b->ps == SIDE_CONTACT)
		set_k(b, KF_TAGS, out, col);
	else
		rb_warn(b, col,
			"tags have no place on a customer without a "
			"contact person; ignored");
}

/* Lines of all columns holding field 'f1' then 'f2', joined by "\n". */
static const char *
join_lines(struct rb *b, enum field f1, enum field f2, int *col)
{
	const char *parts[16];
	size_t n = 0, len = 0;
	char *out;

	*col = -1;
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < b->im->n_cols && n < ARRAY_LEN(parts);
		     i++) {
			const char *v;

			if (b->im->cols[i].field != (pass ? f2 : f1))
				continue;
			v = cell(b, i);
			if (!v)
				continue;
			if (*col < 0)
				*col = (int)i;
			parts[n++] = v;
			len += strlen(v) + 1;
		}
	}
	if (n <= 1)
		return n ? parts[0] : NULL;
	out = arena_alloc(b->a, len);
	len = 0;
	for (size_t k = 0; k < n; k++) {
		size_t l = strlen(parts[k]);
		memcpy(out + len, parts[k], l);
		len += l;
		out[len++] = k + 1 < n ? '\n' : '\0';
	}
	return out;
}

/* The first value of a single-valued field, and its column. */
static const char *
first_of(struct rb *b, enum field f, int *col)
{
	*col = -1;
	for (size_t i = 0; i < b->im->n_cols; i++) {
		const char *v;

		if (b->im->cols[i].field != f)
			continue;
		v = cell(b, i);
		if (v) {
			*col = (int)i;
			return v;
		}
	}
	return NULL;
}

/* "First Middle Last" from whichever parts are there. */
static const char *
person_name(struct rb *b, int *col)
{
	static const enum field parts[] = {F_FIRST, F_MIDDLE, F_LAST};
	const char *v[3];
	size_t len = 0, n = 0;
	char *out;
	int c;

	v[0] = first_of(b, F_CONTACT_NAME, col);
	if (v[0])
		return v[0];
	for (size_t i = 0; i < ARRAY_LEN(parts); i++) {
		const char *p = first_of(b, parts[i], &c);
		if (!p)
			continue;
		if (!n)
			*col = c;
		v[n++] = p;
		len += strlen(p) + 1;
	}
	if (!n)
		return first_of(b, F_FULL_NAME, col);
	out = arena_alloc(b->a, len);
	len = 0;
	for (size_t k = 0; k < n; k++) {
		size_t l = strlen(v[k]);
		memcpy(out + len, v[k], l);
		len += l;
		out[len++] = k + 1 < n ? ' ' : '\0';
	}
	return out;
}

static void
row_address(struct rb *b, const char *company)
{
	int col;
	const char *addr = join_lines(b, F_ADDRESS, F_ADDRESS2, &col);
	int pc_col, city_col, country_col;
	const char *pc = first_of(b, F_POSTCODE, &pc_col);
	const char *city = first_of(b, F_CITY, &city_col);
	const char *country = first_of(b, F_COUNTRY, &country_col);

	/* A private person from a contact export: the home address. */
	if (b->im->contacts && !company && !addr && !pc && !city) {
		addr = join_lines(b, F_HOME_ADDRESS, F_HOME_ADDRESS2, &col);
		pc = first_of(b, F_HOME_POSTCODE, &pc_col);
		city = first_of(b, F_HOME_CITY, &city_col);
		if (!country)
			country = first_of(b, F_HOME_COUNTRY, &country_col);
	}
	set_c(b, CF_ADDRESS, addr, col);
	set_c(b, CF_POSTCODE, pc, pc_col);
	set_c(b, CF_CITY, city, city_col);
	if (country) {
		const char *iso = country_iso(b->a, country);
		if (!iso)
			rb_error(b, country_col, "country",
				 arena_printf(b->a,
					      "unknown country '%s'; write an "
					      "ISO code such as NO or a name "
					      "such as Norge",
					      country));
		set_c(b, CF_COUNTRY, iso, country_col);
	}
}

/*
 * Read record 'rec' into 'row'. Pure apart from warnings (only when
 * 'emit'): the same record gives the same row in both passes.
 */
static void
build_row(struct imp *im, const struct csv_record *rec, struct arena *a,
	  bool emit, struct row *row)
{
	struct rb b = {im, a, emit, row, rec, SIDE_CUSTOMER};
	const char *company, *person, *v;
	int company_col, person_col, col;
	bool any = false;

	memset(row, 0, sizeof(*row));
	row->line = rec->line;
	row->err_col = -1;
	for (int i = 0; i < CF__MAX; i++)
		row->ccol[i] = -1;
	for (int i = 0; i < KF__MAX; i++)
		row->kcol[i] = -1;
	for (size_t i = 0; i < rec->n_fields; i++) {
		bool used = i < im->n_cols && im->cols[i].field != F_UNKNOWN &&
			    im->cols[i].field != F_IGNORE &&
			    im->cols[i].field != F_AMOUNT;

		if (!rec->fields[i][0])
			continue;
		if (i >= im->n_cols) {
			if (trimmed(a, rec->fields[i])) {
				rb_warn(&b, -1,
					"more values than header columns; "
					"extra values ignored");
				break;
			}
			continue;
		}
		if (used && trimmed(a, rec->fields[i]))
			any = true;
	}
	if (!any) {
		row->empty = true;
		return;
	}

	company = first_of(&b, F_NAME, &company_col);
	person = person_name(&b, &person_col);
	/* a company entered as a person is no contact person */
	row->has_contact = company && person && !same_fold(a, company, person);
	b.ps = row->has_contact ? SIDE_CONTACT : SIDE_CUSTOMER;

	v = first_of(&b, F_NUMBER, &col);
	set_c(&b, CF_NUMBER, v, col);
	if (company)
		set_c(&b, CF_NAME, company, company_col);
	else
		set_c(&b, CF_NAME, person, person_col);
	if (row->has_contact)
		set_k(&b, KF_NAME, person, person_col);
	v = first_of(&b, F_STATUS, &col);
	if (v) {
		enum customer_status st;
		if (status_parse(a, v, &st))
			set_c(&b, CF_STATUS, customer_status_name(st), col);
		else
			rb_error(&b, col, "status",
				 arena_printf(a,
					      "unknown status '%s'; use "
					      "prospect, customer or former "
					      "(prospekt, kunde, tidligere)",
					      v));
	}
	row_address(&b, company);
	v = first_of(&b, F_TIME_ZONE, &col);
	set_c(&b, CF_TIME_ZONE, v, col);
	v = first_of(&b, F_TERRITORY, &col);
	set_c(&b, CF_TERRITORY, v, col);
	v = first_of(&b, F_OWNER, &col);
	set_c(&b, CF_OWNER, v, col);

	row_phones(&b);
	row_emails(&b);
	v = first_of(&b, F_CONTACT_NOTES, &col);
	if (v)
		place_text(&b, b.ps, CF_NOTES, KF_NOTES, v, col);
	v = first_of(&b, F_NOTES, &col);
	if (v)
		place_text(&b, im->contacts ? b.ps : SIDE_CUSTOMER, CF_NOTES,
			   KF_NOTES, v, col);
	v = first_of(&b, F_CONTACT_TITLE, &col);
	if (v && b.ps == SIDE_CONTACT)
		set_k(&b, KF_TITLE, v, col);
	else if (v)
		dropped(&b, col, "title", v);
	row_tags(&b);
	if (row->n_others) {
		size_t len = 0;
		char *out;

		for (size_t k = 0; k < row->n_others; k++)
			len += strlen(row->others[k]) + 1;
		out = arena_alloc(a, len);
		len = 0;
		for (size_t k = 0; k < row->n_others; k++) {
			size_t l = strlen(row->others[k]);
			memcpy(out + len, row->others[k], l);
			len += l;
			out[len++] = k + 1 < row->n_others ? '\n' : '\0';
		}
		row->kv[KF_OTHER_PHONES] = out;
	}
	if (!row->cv[CF_NAME])
		rb_error(&b, -1, "name",
			 "the row has no company or person name");
}

/* ---- references: territories, owners, generated numbers ---- */

/* Code for a new territory: uppercase ASCII letters and digits. */
static void
territory_code(struct arena *a, const char *name, unsigned attempt, char out[9])
{
	const char *f = fold_search(a, name, strlen(name));
	char sfx[8] = "";
	size_t n = 0, max;

	if (attempt > 1)
		snprintf(sfx, sizeof(sfx), "%u", attempt);
	max = 8 - strlen(sfx);
	for (const char *p = f ? f : ""; *p && n < max; p++)
		if (isalnum((unsigned char)*p) && !((unsigned char)*p & 0x80))
			out[n++] = (char)toupper((unsigned char)*p);
	if (!n)
		out[n++] = 'T';
	out[n] = '\0';
	memcpy(out + n, sfx, strlen(sfx) + 1);
}

static enum av_err
resolve_territory(struct imp *im, const char *value, int64_t *id,
		  struct av_error *err)
{
	const char *key = fold_search(&im->scratch, value, strlen(value));
	struct territory t;
	uint32_t idx;
	enum av_err rc;

	if (!key)
		return av_field_errorf(err, AV_EINVAL, "territory",
				       "territory is not valid UTF-8");
	if (hmap_get(&im->terr_map, key, &idx)) {
		*id = im->terr_ids[idx];
		return AV_OK;
	}
	rc = store_territory_find(im->s, value, &im->scratch, &t, err);
	if (rc == AV_ENOTFOUND) {
		char code[16];

		memset(&t, 0, sizeof(t));
		t.name = value;
		for (unsigned attempt = 1; attempt < 1000; attempt++) {
			territory_code(&im->scratch, value, attempt, code);
			t.code = code;
			rc = store_territory_insert(im->s, &t, err);
			if (rc != AV_ECONFLICT)
				break;
		}
		if (rc)
			return rc;
		im->new_terr = xrealloc(
		    im->new_terr, (im->n_new_terr + 1) * sizeof(*im->new_terr));
		im->new_terr[im->n_new_terr].code = arena_strdup(im->a, code);
		im->new_terr[im->n_new_terr].name = arena_strdup(im->a, value);
		im->n_new_terr++;
	} else if (rc) {
		return rc;
	}
	if (im->n_terr % 64 == 0)
		im->terr_ids =
		    xrealloc(im->terr_ids, (im->n_terr + 64) * sizeof(int64_t));
	im->terr_ids[im->n_terr] = t.id;
	hmap_put(&im->terr_map, arena_strdup(im->a, key), (uint32_t)im->n_terr);
	im->n_terr++;
	*id = t.id;
	return AV_OK;
}

/* *id: the user, 0 when unknown, -1 when disabled. */
static enum av_err
resolve_owner(struct imp *im, const char *value, int64_t *id,
	      struct av_error *err)
{
	const char *key = ascii_lower(&im->scratch, value);
	struct user u;
	uint32_t idx;
	enum av_err rc;

	if (hmap_get(&im->owner_map, key, &idx)) {
		*id = im->owner_ids[idx];
		return AV_OK;
	}
	rc = store_user_by_email(im->s, key, &im->scratch, &u, err);
	if (rc == AV_ENOTFOUND)
		*id = 0;
	else if (rc)
		return rc;
	else
		*id = u.disabled ? -1 : u.id;
	if (im->n_owner % 64 == 0)
		im->owner_ids = xrealloc(im->owner_ids,
					 (im->n_owner + 64) * sizeof(int64_t));
	im->owner_ids[im->n_owner] = *id;
	hmap_put(&im->owner_map, arena_strdup(im->a, key),
		 (uint32_t)im->n_owner);
	im->n_owner++;
	return AV_OK;
}

/* The next free number: above the database's highest, not in the file. */
static enum av_err
generate_number(struct imp *im, const char **out, struct av_error *err)
{
	char buf[24];
	uint32_t g;

	if (!im->num_ready) {
		int64_t max;
		enum av_err rc = store_customer_max_number(im->s, &max, err);

		if (rc)
			return rc;
		im->next_num = max + 1 > IMPORT_FIRST_NUMBER
				   ? max + 1
				   : IMPORT_FIRST_NUMBER;
		im->num_ready = true;
	}
	do {
		snprintf(buf, sizeof(buf), "%lld", (long long)im->next_num++);
	} while (hmap_get(&im->by_number, buf, &g));
	*out = arena_strdup(&im->scratch, buf);
	return AV_OK;
}

/* ---- the customer of a group ---- */

/* Values of a group: the first non-empty value of each field wins. */
struct merged {
	const char *v[CF__MAX]; /* value */
	size_t line[CF__MAX];	/* line that gave it */
	int col[CF__MAX];	/* column that gave it */
	size_t first_line;	/* first good row */
};

static void
merge_row(struct imp *im, const struct group *g, struct merged *m,
	  const struct row *r)
{
	if (!m->first_line)
		m->first_line = r->line;
	for (int f = 0; f < CF__MAX; f++) {
		if (!r->cv[f])
			continue;
		/* names of a name group are equal after folding */
		if (f == CF_NAME && !g->by_number && m->v[f])
			continue;
		if (!m->v[f]) {
			m->v[f] = r->cv[f];
			m->line[f] = r->line;
			m->col[f] = r->ccol[f];
		} else if (strcmp(m->v[f], r->cv[f]) != 0) {
			warn(im, r->line, r->ccol[f],
			     "%s '%s' differs from line %zu for the same "
			     "customer; kept '%s'",
			     cf_names[f], r->cv[f], m->line[f], m->v[f]);
		}
	}
}

static bool
customer_same(const struct customer *a, const struct customer *b)
{
	return same_str(a->customer_number, b->customer_number) &&
	       same_str(a->name, b->name) && a->status == b->status &&
	       same_str(a->phone, b->phone) && same_str(a->email, b->email) &&
	       same_str(a->address, b->address) &&
	       same_str(a->postcode, b->postcode) &&
	       same_str(a->city, b->city) && same_str(a->country, b->country) &&
	       same_str(a->time_zone, b->time_zone) &&
	       a->territory_id == b->territory_id &&
	       a->owner_id == b->owner_id && same_str(a->notes, b->notes);
}

/* Reject the group at the line that gave customer field 'name'. */
static void
reject_field(struct imp *im, const struct merged *m, const char *name,
	     const char *reason)
{
	for (int f = 0; f < CF__MAX; f++) {
		if (strcmp(cf_names[f], name) == 0 && m->v[f]) {
			reject(im, m->line[f], m->col[f], name, "%s", reason);
			return;
		}
	}
	reject(im, m->first_line, -1, name[0] ? name : NULL, "%s", reason);
}

/* Store failures end the import; other errors reject the group. */
static bool
store_failed(struct imp *im, enum av_err rc, const struct av_error *e)
{
	if (rc == AV_EDB || rc == AV_EINTERNAL || rc == AV_EIO) {
		fail_store(im, e);
		return true;
	}
	return false;
}

/* Territory and owner of the merged values into 'c'; false if rejected. */
static bool
apply_refs(struct imp *im, const struct merged *m, struct customer *c)
{
	struct av_error e = {0};
	enum av_err rc;

	if (m->v[CF_TERRITORY]) {
		rc = resolve_territory(im, m->v[CF_TERRITORY], &c->territory_id,
				       &e);
		if (rc) {
			if (!store_failed(im, rc, &e))
				reject_field(im, m, "territory", e.msg);
			return false;
		}
	}
	if (m->v[CF_OWNER]) {
		int64_t id;

		rc = resolve_owner(im, m->v[CF_OWNER], &id, &e);
		if (rc) {
			fail_store(im, &e);
			return false;
		}
		if (id <= 0) {
			reject(im, m->line[CF_OWNER], m->col[CF_OWNER], "owner",
			       id ? "owner '%s' is a disabled user"
				  : "owner '%s' is not a user (give the "
				    "e-mail of an Avtale user)",
			       m->v[CF_OWNER]);
			return false;
		}
		c->owner_id = id;
	}
	return true;
}

/* Overlay the merged values on 'c' (a stored record or a new one). */
static void
overlay(struct customer *c, const struct merged *m, bool is_new, bool by_number)
{
	const char *old_zone = c->time_zone;
	const char *old_country = c->country;

	if (is_new && m->v[CF_NUMBER])
		c->customer_number = m->v[CF_NUMBER];
	/* found by its folded name: keep the stored spelling */
	if (m->v[CF_NAME] && (is_new || by_number))
		c->name = m->v[CF_NAME];
	if (m->v[CF_STATUS])
		customer_status_parse(m->v[CF_STATUS], &c->status);
	if (m->v[CF_PHONE])
		c->phone = m->v[CF_PHONE];
	if (m->v[CF_EMAIL])
		c->email = m->v[CF_EMAIL];
	if (m->v[CF_ADDRESS])
		c->address = m->v[CF_ADDRESS];
	if (m->v[CF_POSTCODE])
		c->postcode = m->v[CF_POSTCODE];
	if (m->v[CF_CITY])
		c->city = m->v[CF_CITY];
	if (m->v[CF_COUNTRY])
		c->country = m->v[CF_COUNTRY];
	if (m->v[CF_NOTES])
		c->notes = m->v[CF_NOTES];
	if (m->v[CF_TIME_ZONE]) {
		c->time_zone = m->v[CF_TIME_ZONE];
	} else if (!is_new && !same_str(old_country, c->country) && old_zone &&
		   old_country &&
		   same_str(old_zone, tz_for_country(old_country))) {
		/* the zone followed the old country: let it follow again */
		c->time_zone = NULL;
	}
}

/*
 * Insert or update the customer of a group; *id_out is its id and
 * *country_out its country (for reading phone numbers), or 0 when the
 * group was rejected.
 */
static void
upsert_customer(struct imp *im, const struct group *g, const struct merged *m,
		int64_t *id_out, const char **country_out, bool *existed)
{
	struct customer old, c;
	struct av_error e = {0};
	enum av_err rc;
	bool is_new;

	*id_out = 0;
	if (g->by_number)
		rc = store_customer_by_number(im->s, m->v[CF_NUMBER],
					      &im->scratch, &old, &e);
	else
		rc = store_customer_by_name(im->s, m->v[CF_NAME], &im->scratch,
					    &old, &e);
	if (rc && rc != AV_ENOTFOUND) {
		if (!store_failed(im, rc, &e))
			reject_field(im, m, "name", e.msg);
		return;
	}
	is_new = rc == AV_ENOTFOUND;
	*existed = !is_new;
	if (is_new) {
		memset(&c, 0, sizeof(c));
		c.status = im->default_status;
		c.owner_id = im->default_owner;
		if (!m->v[CF_NUMBER]) {
			rc = generate_number(im, &c.customer_number, &e);
			if (rc) {
				fail_store(im, &e);
				return;
			}
		}
	} else {
		c = old;
	}
	if (!apply_refs(im, m, &c))
		return;
	overlay(&c, m, is_new, g->by_number);
	av_error_clear(&e);
	if (customer_prepare(&c, &im->scratch, &e)) {
		reject_field(im, m, e.field, e.msg);
		return;
	}
	*country_out = c.country;
	if (!is_new) {
		if (customer_same(&c, &old)) {
			im->r->customers_unchanged++;
		} else {
			rc = store_customer_update(im->s, &c, old.version,
						   im->opt->actor, &e);
			if (rc) {
				if (!store_failed(im, rc, &e))
					reject_field(im, m, e.field, e.msg);
				return;
			}
			im->r->customers_updated++;
		}
		*id_out = c.id;
		return;
	}
	for (int tries = 0;; tries++) {
		rc = store_customer_insert(im->s, &c, im->opt->actor, &e);
		/* a generated number may belong to a deleted customer */
		if (rc != AV_ECONFLICT || m->v[CF_NUMBER] || tries > 1000)
			break;
		rc = generate_number(im, &c.customer_number, &e);
		if (rc)
			break;
	}
	if (rc) {
		if (!store_failed(im, rc, &e))
			reject_field(im, m, e.field, e.msg);
		return;
	}
	im->r->customers_created++;
	*id_out = c.id;
}

/* ---- contacts of a group ---- */

struct centry {
	struct contact c; /* current state */
	const char *fold; /* folded name */
	const char *mail; /* lowercase e-mail or NULL */
	int outcome;	  /* -1 untouched, 0 unchanged, 1 updated, 2 new */
};

struct cset {
	struct centry *v;  /* scratch arena */
	size_t n;	   /* used */
	size_t cap;	   /* allocated */
	struct hmap mails; /* lowercase e-mail -> index, when n is large */
	struct hmap names; /* folded name -> index, when n is large */
	bool mapped;	   /* the maps are in use */
};

enum { CSET_MAP_AT = 16 };

static void
cset_index(struct cset *cs, size_t i)
{
	if (cs->v[i].mail)
		hmap_put(&cs->mails, cs->v[i].mail, (uint32_t)i);
	if (cs->v[i].fold)
		hmap_put(&cs->names, cs->v[i].fold, (uint32_t)i);
}

static void
cset_add(struct imp *im, struct cset *cs, const struct contact *c)
{
	struct centry *e;

	if (cs->n == cs->cap) {
		size_t cap = cs->cap ? 2 * cs->cap : 8;
		struct centry *v = arena_alloc(&im->scratch, cap * sizeof(*v));

		if (cs->n)
			memcpy(v, cs->v, cs->n * sizeof(*v));
		cs->v = v;
		cs->cap = cap;
	}
	e = &cs->v[cs->n];
	e->c = *c;
	e->fold = fold_search(&im->scratch, c->name, strlen(c->name));
	e->mail = c->email ? ascii_lower(&im->scratch, c->email) : NULL;
	e->outcome = -1;
	cs->n++;
	if (cs->mapped) {
		cset_index(cs, cs->n - 1);
	} else if (cs->n > CSET_MAP_AT) {
		cs->mapped = true;
		for (size_t i = 0; i < cs->n; i++)
			cset_index(cs, i);
	}
}

/* By e-mail (case-insensitive), else by folded name; -1 if none. */
static long
cset_find(const struct cset *cs, const char *mail, const char *fold)
{
	uint32_t idx;

	if (cs->mapped) {
		if (mail && hmap_get(&cs->mails, mail, &idx))
			return (long)idx;
		if (fold && hmap_get(&cs->names, fold, &idx))
			return (long)idx;
		return -1;
	}
	for (size_t i = 0; mail && i < cs->n; i++)
		if (cs->v[i].mail && strcmp(cs->v[i].mail, mail) == 0)
			return (long)i;
	for (size_t i = 0; fold && i < cs->n; i++)
		if (cs->v[i].fold && strcmp(cs->v[i].fold, fold) == 0)
			return (long)i;
	return -1;
}

static const char **
contact_slot(struct contact *c, enum kf f)
{
	switch (f) {
	case KF_NAME:
		return &c->name;
	case KF_TITLE:
		return &c->title;
	case KF_PHONE:
		return &c->phone;
	case KF_MOBILE:
		return &c->mobile;
	case KF_EMAIL:
		return &c->email;
	case KF_NOTES:
		return &c->notes;
	case KF_OTHER_PHONES:
		return &c->other_phones;
	case KF_TAGS:
		return &c->tags;
	case KF__MAX:
		break;
	}
	return NULL;
}

static bool
contact_same(struct contact *a, struct contact *b)
{
	for (int f = 0; f < KF__MAX; f++)
		if (!same_str(*contact_slot(a, (enum kf)f),
			      *contact_slot(b, (enum kf)f)))
			return false;
	return true;
}

static void
upsert_contact(struct imp *im, struct cset *cs, const struct row *r,
	       int64_t customer_id, const char *country)
{
	const char *mail =
	    r->kv[KF_EMAIL] ? ascii_lower(&im->scratch, r->kv[KF_EMAIL]) : NULL;
	const char *fold =
	    fold_search(&im->scratch, r->kv[KF_NAME], strlen(r->kv[KF_NAME]));
	long at = cset_find(cs, mail, fold);
	struct centry *e = at >= 0 ? &cs->v[at] : NULL;
	struct contact c;
	struct av_error err = {0};
	enum av_err rc;

	if (e) {
		c = e->c;
	} else {
		memset(&c, 0, sizeof(c));
		c.customer_id = customer_id;
	}
	for (int f = 0; f < KF__MAX; f++) {
		const char **slot = contact_slot(&c, (enum kf)f);

		if (!r->kv[f])
			continue;
		/* touched earlier in this file: fill, never overwrite */
		if (e && e->outcome >= 0 && *slot) {
			if (!same_str(*slot, r->kv[f]) && f != KF_NAME)
				warn(im, r->line, r->kcol[f],
				     "contact %s '%s' differs from an earlier "
				     "line for the same person; kept '%s'",
				     kf_names[f], r->kv[f], *slot);
			continue;
		}
		*slot = r->kv[f];
	}
	if (contact_prepare(&c, country, &im->scratch, &err)) {
		int col = -1;

		for (int f = 0; f < KF__MAX; f++)
			if (strcmp(kf_names[f], err.field) == 0)
				col = r->kcol[f];
		reject(im, r->line, col, err.field[0] ? err.field : NULL, "%s",
		       err.msg);
		return;
	}
	if (!e) {
		rc = store_contact_insert(im->s, &c, im->opt->actor, &err);
		if (rc) {
			if (!store_failed(im, rc, &err))
				reject(im, r->line, -1, NULL, "%s", err.msg);
			return;
		}
		cset_add(im, cs, &c);
		cs->v[cs->n - 1].outcome = 2;
		return;
	}
	if (contact_same(&c, &e->c)) {
		if (e->outcome < 0)
			e->outcome = 0;
		return;
	}
	rc =
	    store_contact_update(im->s, &c, e->c.version, im->opt->actor, &err);
	if (rc) {
		if (!store_failed(im, rc, &err))
			reject(im, r->line, -1, NULL, "%s", err.msg);
		return;
	}
	e->c = c;
	if (e->outcome < 1)
		e->outcome = 1;
}

static void
count_contacts(struct imp *im, const struct cset *cs)
{
	for (size_t i = 0; i < cs->n; i++) {
		if (cs->v[i].outcome == 0)
			im->r->contacts_unchanged++;
		else if (cs->v[i].outcome == 1)
			im->r->contacts_updated++;
		else if (cs->v[i].outcome == 2)
			im->r->contacts_created++;
	}
}

static void
tick(struct imp *im)
{
	im->done++;
	if (im->opt->progress && im->done % IMPORT_PROGRESS_EVERY == 0)
		im->opt->progress(im->done, im->total, im->opt->progress_ctx);
}

static void
process_group(struct imp *im, const struct group *g)
{
	struct row *rows;
	struct merged m;
	struct cset cs = {0};
	size_t n = 0;
	bool any_contact = false, existed = false;
	int64_t id;
	const char *country = NULL;

	arena_release(&im->scratch);
	rows = arena_alloc(&im->scratch, g->n_rows * sizeof(*rows));
	memset(&m, 0, sizeof(m));
	for (int f = 0; f < CF__MAX; f++)
		m.col[f] = -1;
	for (uint32_t ri = g->first; ri != NONE; ri = im->next[ri]) {
		struct row *r = &rows[n++];

		build_row(im, &im->doc.records[ri + 1], &im->scratch, true, r);
		tick(im);
		if (r->err_reason) {
			reject(im, r->line, r->err_col, r->err_field, "%s",
			       r->err_reason);
			r->bad = true;
			continue;
		}
		merge_row(im, g, &m, r);
		any_contact |= r->has_contact;
	}
	if (!m.first_line)
		return;
	upsert_customer(im, g, &m, &id, &country, &existed);
	if (!id || !any_contact)
		return;
	if (existed) {
		struct contact *v;
		size_t nv;
		struct av_error e = {0};

		if (store_contact_list(im->s, id, &im->scratch, &v, &nv, &e)) {
			fail_store(im, &e);
			return;
		}
		for (size_t i = 0; i < nv; i++)
			cset_add(im, &cs, &v[i]);
	}
	for (size_t i = 0; i < n && !im->fatal; i++)
		if (!rows[i].bad && rows[i].has_contact)
			upsert_contact(im, &cs, &rows[i], id, country);
	count_contacts(im, &cs);
	hmap_release(&cs.mails);
	hmap_release(&cs.names);
}

/* ---- pass one: group rows by customer ---- */

static uint32_t
new_group(struct imp *im, const char *key, bool by_number, uint32_t row)
{
	struct group *g;

	if (im->n_groups == im->cap_groups) {
		im->cap_groups = im->cap_groups ? 2 * im->cap_groups : 256;
		im->groups =
		    xrealloc(im->groups, im->cap_groups * sizeof(*im->groups));
	}
	g = &im->groups[im->n_groups];
	g->key = key;
	g->by_number = by_number;
	g->first = g->last = row;
	g->n_rows = 1;
	return (uint32_t)im->n_groups++;
}

static void
group_rows(struct imp *im)
{
	size_t n_rows = im->doc.n_records - 1;
	struct row r;

	im->next = xmalloc((n_rows ? n_rows : 1) * sizeof(uint32_t));
	for (size_t i = 0; i < n_rows; i++) {
		const struct csv_record *rec = &im->doc.records[i + 1];
		struct hmap *map = NULL;
		const char *key = NULL;
		uint32_t gi;

		if (i % SCRATCH_ROWS == 0)
			arena_release(&im->scratch);
		im->next[i] = NONE;
		for (size_t c = 0; c < im->n_cols && c < rec->n_fields; c++)
			if (rec->fields[c][0] && !im->cols[c].has_values)
				im->cols[c].has_values = true;
		build_row(im, rec, &im->scratch, false, &r);
		if (r.empty) {
			im->r->empty_rows++;
			continue;
		}
		if (r.cv[CF_NUMBER]) {
			map = &im->by_number;
			key = r.cv[CF_NUMBER];
		} else if (r.cv[CF_NAME]) {
			map = &im->by_name;
			key = fold_search(&im->scratch, r.cv[CF_NAME],
					  strlen(r.cv[CF_NAME]));
		}
		if (map && key && hmap_get(map, key, &gi)) {
			struct group *g = &im->groups[gi];

			im->next[g->last] = (uint32_t)i;
			g->last = (uint32_t)i;
			g->n_rows++;
			continue;
		}
		if (map && key) {
			key = arena_strdup(im->a, key);
			gi = new_group(im, key, map == &im->by_number,
				       (uint32_t)i);
			hmap_put(map, key, gi);
		} else {
			new_group(im, NULL, false, (uint32_t)i);
		}
	}
	arena_release(&im->scratch);
}

/* Warnings about columns nothing reads. */
static void
column_warnings(struct imp *im)
{
	for (size_t i = 0; i < im->n_cols; i++) {
		const struct col *c = &im->cols[i];

		if (c->field == F_AMOUNT && !c->explicit_map)
			warn(im, 0, (int)i,
			     "amounts have no field in Avtale; column "
			     "ignored");
		else if (c->field == F_UNKNOWN && c->has_values)
			warn(im, 0, (int)i,
			     "unknown column ignored; assign it with --map "
			     "'%s=FIELD' if it matters",
			     c->header);
		else if (c->field == F_UNKNOWN)
			warn(im, 0, (int)i, "unknown column ignored (empty)");
		else if (c->field == F_IGNORE && !c->key[0] && c->has_values)
			warn(im, 0, (int)i,
			     "column %zu has no header; its values are "
			     "ignored",
			     i + 1);
	}
}

/* ---- the report ---- */

static void
finish_report(struct imp *im, struct timespec t0)
{
	struct import_report *r = im->r;
	struct timespec t1;

	r->n_columns = im->n_cols;
	r->columns = arena_alloc(im->a, (im->n_cols ? im->n_cols : 1) *
					    sizeof(*r->columns));
	for (size_t i = 0; i < im->n_cols; i++) {
		r->columns[i].header = im->cols[i].header;
		r->columns[i].field = field_name(im->cols[i].field);
	}
	r->rejected = issues_finish(im, &im->rejected, &r->n_rejected);
	r->rejected_total = im->rejected.total;
	r->warnings = issues_finish(im, &im->warnings, &r->n_warnings);
	r->warnings_total = im->warnings.total;
	r->n_new_territories = im->n_new_terr;
	r->new_territories =
	    arena_alloc(im->a, (im->n_new_terr ? im->n_new_terr : 1) *
				   sizeof(*r->new_territories));
	if (im->n_new_terr)
		memcpy(r->new_territories, im->new_terr,
		       im->n_new_terr * sizeof(*im->new_terr));
	clock_gettime(CLOCK_MONOTONIC, &t1);
	r->seconds = (double)(t1.tv_sec - t0.tv_sec) +
		     (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
}

static void
imp_release(struct imp *im)
{
	arena_release(&im->scratch);
	free(im->groups);
	free(im->next);
	hmap_release(&im->by_number);
	hmap_release(&im->by_name);
	hmap_release(&im->terr_map);
	hmap_release(&im->owner_map);
	free(im->terr_ids);
	free(im->owner_ids);
	free(im->new_terr);
	free(im->rejected.v);
	free(im->warnings.v);
}

/* Both passes inside the transaction; the caller commits or not. */
static void
run(struct imp *im)
{
	group_rows(im);
	column_warnings(im);
	im->done = im->r->empty_rows; /* skipped, but done */
	for (size_t g = 0; g < im->n_groups && !im->fatal; g++)
		process_group(im, &im->groups[g]);
	if (im->opt->progress && !im->fatal)
		im->opt->progress(im->done, im->total, im->opt->progress_ctx);
}

enum av_err
import_customers(struct store *s, const char *data, size_t len,
		 const struct import_options *opt, struct arena *a,
		 struct import_report *out, struct av_error *err)
{
	struct imp im;
	struct timespec t0;
	enum av_err rc;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	memset(out, 0, sizeof(*out));
	memset(&im, 0, sizeof(im));
	out->dry_run = opt->dry_run;
	out->layout = layout_names[L_CUSTOM];
	out->encoding = "";
	im.s = s;
	im.opt = opt;
	im.a = a;
	im.r = out;
	arena_init(&im.scratch, 0);

	if (len > IMPORT_MAX_BYTES) {
		rc = av_errorf(err, AV_ETOOBIG,
			       "the file has %zu bytes; the limit is %d MiB",
			       len, IMPORT_MAX_BYTES / (1024 * 1024));
		goto out;
	}
	rc = csv_parse(data, len, opt->delimiter, a, &im.doc, err);
	if (rc)
		goto out;
	out->encoding = csv_encoding_name(im.doc.encoding);
	out->delimiter = im.doc.delimiter;
	if (im.doc.n_records == 0) {
		rc = av_errorf(err, AV_EINVAL,
			       "the file is empty: no header line");
		goto out;
	}
	out->rows = im.doc.n_records - 1;
	im.total = out->rows;
	if (out->rows >= NONE) {
		rc = av_errorf(err, AV_ETOOBIG, "too many rows");
		goto out;
	}
	rc = map_header(&im, err);
	out->layout = layout_names[im.layout];
	if (rc)
		goto out;
	if (!has_field(&im, F_NAME) && !has_field(&im, F_CONTACT_NAME) &&
	    !has_field(&im, F_FIRST) && !has_field(&im, F_MIDDLE) &&
	    !has_field(&im, F_LAST) && !has_field(&im, F_FULL_NAME)) {
		rc = no_name_error(&im, err);
		goto out;
	}
	if (opt->status >= 0 && opt->status < CUSTOMER_STATUS__MAX)
		im.default_status = (enum customer_status)opt->status;
	else
		im.default_status = has_field(&im, F_NUMBER)
					? CUSTOMER_CUSTOMER
					: CUSTOMER_PROSPECT;
	im.default_owner = opt->owner_id ? opt->owner_id : opt->actor;
	if (!im.default_owner) {
		rc = av_errorf(err, AV_EINVAL,
			       "new customers need an owner: give --owner "
			       "or an acting user");
		goto out;
	}

	rc = store_begin(s, err);
	if (rc)
		goto out;
	run(&im);
	if (im.fatal) {
		store_rollback(s);
		*err = im.ferr;
		rc = im.ferr.code ? im.ferr.code : AV_EDB;
	} else if (im.rejected.total) {
		store_rollback(s);
		rc = av_errorf(
		    err, AV_EINVAL, "%zu row%s rejected; nothing was stored",
		    im.rejected.total, im.rejected.total == 1 ? "" : "s");
	} else if (opt->dry_run) {
		store_rollback(s);
	} else {
		rc = store_commit(s, err);
		out->committed = rc == AV_OK;
	}
out:
	finish_report(&im, t0);
	imp_release(&im);
	return rc;
}

/* ---- helpers for callers ---- */

enum av_err
import_read_file(const char *path, char **data_out, size_t *len_out,
		 struct av_error *err)
{
	bool is_stdin = strcmp(path, "-") == 0;
	FILE *f = is_stdin ? stdin : fopen(path, "rb");
	struct stat st;
	char *buf = NULL;
	size_t len = 0, cap = 0;
	enum av_err rc = AV_OK;

	*data_out = NULL;
	*len_out = 0;
	if (!f)
		return av_errorf(err, AV_EIO, "cannot open '%s': %s", path,
				 strerror(errno));
	if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) &&
	    st.st_size > (off_t)IMPORT_MAX_BYTES) {
		rc = av_errorf(err, AV_ETOOBIG,
			       "'%s' has %lld bytes; files over %d MiB are "
			       "refused",
			       path, (long long)st.st_size,
			       IMPORT_MAX_BYTES / (1024 * 1024));
		goto out;
	}
	for (;;) {
		size_t got;

		if (cap - len < 65536) {
			cap = cap ? 2 * cap : 1 << 20;
			if (cap > (size_t)IMPORT_MAX_BYTES + 65536 + 1)
				cap = (size_t)IMPORT_MAX_BYTES + 65536 + 1;
			buf = xrealloc(buf, cap);
		}
		got = fread(buf + len, 1, cap - len - 1, f);
		len += got;
		if (len > (size_t)IMPORT_MAX_BYTES) {
			rc = av_errorf(err, AV_ETOOBIG,
				       "'%s' is larger than %d MiB; refused",
				       path, IMPORT_MAX_BYTES / (1024 * 1024));
			goto out;
		}
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		rc = av_errorf(err, AV_EIO, "reading '%s' failed", path);
		goto out;
	}
	buf[len] = '\0';
	*data_out = buf;
	*len_out = len;
	buf = NULL;
out:
	free(buf);
	if (!is_stdin)
		fclose(f);
	return rc;
}

enum av_err
import_map_parse(const char *spec, struct arena *a, struct import_map *out,
		 struct av_error *err)
{
	const char *eq = strrchr(spec, '=');
	struct str col, field;
	enum field f;

	if (!eq)
		return av_field_errorf(err, AV_EINVAL, "map",
				       "--map '%s' must be COLUMN=FIELD", spec);
	col = str_trim((struct str){spec, (size_t)(eq - spec)});
	field = str_trim(str_from(eq + 1));
	if (!col.len)
		return av_field_errorf(err, AV_EINVAL, "map",
				       "--map '%s' names no column", spec);
	out->column = arena_strndup(a, col.p, col.len);
	out->field = arena_strndup(a, field.p, field.len);
	if (!field_parse(out->field, &f))
		return av_field_errorf(err, AV_EINVAL, "map",
				       "--map: unknown field '%s'; see "
				       "'avtale import --help'",
				       out->field);
	return AV_OK;
}

const char *const *
import_field_names(void)
{
	return mappable;
}

static json_t *
issues_json(const struct import_issue *v, size_t n, bool with_field)
{
	json_t *arr = json_array();

	for (size_t i = 0; i < n; i++) {
		json_t *o = json_object();

		json_object_set_new(o, "line",
				    json_integer((json_int_t)v[i].line));
		if (with_field)
			json_object_set_new(o, "field",
					    v[i].field ? json_string(v[i].field)
						       : json_null());
		json_object_set_new(o, "column",
				    v[i].column ? json_string(v[i].column)
						: json_null());
		json_object_set_new(o, "reason", json_string(v[i].reason));
		json_array_append_new(arr, o);
	}
	return arr;
}

static json_t *
counts_json(size_t created, size_t updated, size_t unchanged)
{
	json_t *o = json_object();

	json_object_set_new(o, "created", json_integer((json_int_t)created));
	json_object_set_new(o, "updated", json_integer((json_int_t)updated));
	json_object_set_new(o, "unchanged",
			    json_integer((json_int_t)unchanged));
	return o;
}

json_t *
import_report_to_json(const struct import_report *r)
{
	json_t *o = json_object();
	json_t *cols = json_array();
	json_t *terr = json_array();
	char delim[2] = {r->delimiter, '\0'};

	json_object_set_new(o, "encoding", json_string(r->encoding));
	json_object_set_new(o, "delimiter",
			    r->delimiter ? json_string(delim) : json_null());
	json_object_set_new(o, "layout", json_string(r->layout));
	json_object_set_new(o, "dry_run", json_boolean(r->dry_run));
	json_object_set_new(o, "committed", json_boolean(r->committed));
	json_object_set_new(o, "rows", json_integer((json_int_t)r->rows));
	json_object_set_new(o, "empty_rows",
			    json_integer((json_int_t)r->empty_rows));
	json_object_set_new(o, "customers",
			    counts_json(r->customers_created,
					r->customers_updated,
					r->customers_unchanged));
	json_object_set_new(o, "contacts",
			    counts_json(r->contacts_created,
					r->contacts_updated,
					r->contacts_unchanged));
	for (size_t i = 0; i < r->n_columns; i++) {
		json_t *c = json_object();

		json_object_set_new(c, "header",
				    json_string(r->columns[i].header));
		json_object_set_new(c, "field",
				    r->columns[i].field
					? json_string(r->columns[i].field)
					: json_null());
		json_array_append_new(cols, c);
	}
	json_object_set_new(o, "columns", cols);
	json_object_set_new(o, "rejected_total",
			    json_integer((json_int_t)r->rejected_total));
	json_object_set_new(o, "rejected",
			    issues_json(r->rejected, r->n_rejected, true));
	json_object_set_new(o, "warnings_total",
			    json_integer((json_int_t)r->warnings_total));
	json_object_set_new(o, "warnings",
			    issues_json(r->warnings, r->n_warnings, false));
	for (size_t i = 0; i < r->n_new_territories; i++) {
		json_t *t = json_object();

		json_object_set_new(t, "code",
				    json_string(r->new_territories[i].code));
		json_object_set_new(t, "name",
				    json_string(r->new_territories[i].name));
		json_array_append_new(terr, t);
	}
	json_object_set_new(o, "new_territories", terr);
	json_object_set_new(o, "seconds", json_real(r->seconds));
	return o;
}
