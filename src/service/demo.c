/* SPDX-License-Identifier: MIT */
/*
 * Demo data: an invented sales organisation in Norway (and a little of
 * Sweden). Names, streets and phone numbers come from the tables below,
 * picked by a splitmix64 generator seeded per customer from (seed, index),
 * so output is the same on every machine and independent of the database.
 * Text is built in fixed stack buffers; customer_prepare/contact_prepare/
 * appt_prepare copy it into one arena per batch, released after each
 * commit. Appointment times come from a per-rep calendar of quarter-hours
 * (struct cal), so one rep's scheduled appointments never overlap.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/rng.h"
#include "core/str.h"
#include "core/tz.h"
#include "core/xalloc.h"
#include "domain/appointment.h"
#include "domain/customer.h"
#include "service/appointments.h"
#include "service/demo.h"

#include "core/banned.h"

#define ARRAY_LEN(a)   (sizeof(a) / sizeof((a)[0]))
#define PICK(r, a)     ((a)[rng_below((r), ARRAY_LEN(a))])
#define DEMO_DOMAIN    "demo.avtale.no"
#define ORG_SEED       UINT64_C(0x417674616c65) /* "Avtale" */
#define NEXT_KEY       "demo.next_number"
#define DEMO_HISTORY_S ((int64_t)3 * 366 * 86400) /* demo customers' past */
#define MAX_CONFLICTS  1000
#define ARENA_BLOCK    ((size_t)256 * 1024)

/* ---- the generator ---- */

/* ---- the organisation and the places ---- */

struct city {
	const char *name;  /* post town */
	unsigned pc_lo;	   /* first postcode of the range used */
	unsigned pc_hi;	   /* last postcode */
	const char *areas; /* landline prefixes, concatenated pairs (NO) or
			    * one area code without trunk 0 (SE) */
	unsigned weight;   /* relative share within the territory */
};

enum country { C_NO, C_SE };

struct terr_def {
	const char *code;	   /* territory code */
	const char *name;	   /* display name */
	enum country country;	   /* where its customers are */
	unsigned weight;	   /* share of customers, per mille */
	const struct city *cities; /* borrowed: static table */
	size_t n_cities;	   /* entries in cities */
};

static const struct city osl[] = {
    {"Oslo", 150, 990, "2223", 3},
    {"Oslo", 1150, 1295, "2223", 1},
};
static const struct city vik[] = {
    {"Drammen", 3011, 3048, "32", 3},	{"Fredrikstad", 1601, 1639, "69", 3},
    {"Sarpsborg", 1706, 1747, "69", 2}, {"Lillestrøm", 2000, 2022, "63", 2},
    {"Sandvika", 1300, 1339, "67", 2},	{"Moss", 1511, 1535, "69", 1},
    {"Tønsberg", 3110, 3128, "33", 2},	{"Sandefjord", 3210, 3239, "33", 1},
    {"Asker", 1383, 1397, "66", 1},	{"Ski", 1400, 1410, "64", 1},
};
static const struct city ves[] = {
    {"Bergen", 5003, 5099, "5556", 6}, {"Bergen", 5130, 5179, "55", 2},
    {"Førde", 6800, 6812, "57", 1},    {"Stord", 5410, 5416, "53", 1},
    {"Voss", 5700, 5710, "56", 1},     {"Knarvik", 5914, 5915, "56", 1},
};
static const struct city rog[] = {
    {"Stavanger", 4005, 4048, "51", 4}, {"Sandnes", 4306, 4329, "51", 3},
    {"Haugesund", 5521, 5538, "52", 2}, {"Bryne", 4340, 4349, "51", 1},
    {"Egersund", 4370, 4379, "51", 1},
};
static const struct city agd[] = {
    {"Kristiansand", 4608, 4639, "38", 4}, {"Arendal", 4836, 4849, "37", 2},
    {"Grimstad", 4876, 4889, "37", 1},	   {"Mandal", 4514, 4517, "38", 1},
    {"Flekkefjord", 4400, 4403, "38", 1},
};
static const struct city tro[] = {
    {"Trondheim", 7010, 7099, "7372", 6}, {"Stjørdal", 7500, 7510, "74", 1},
    {"Steinkjer", 7713, 7725, "74", 1},	  {"Levanger", 7600, 7606, "74", 1},
    {"Orkanger", 7300, 7302, "72", 1},
};
static const struct city mro[] = {
    {"Ålesund", 6002, 6019, "70", 4},
    {"Molde", 6401, 6419, "71", 2},
    {"Kristiansund", 6501, 6520, "71", 2},
    {"Ørsta", 6150, 6155, "70", 1},
};
static const struct city inn[] = {
    {"Lillehammer", 2609, 2636, "61", 3}, {"Hamar", 2315, 2326, "62", 3},
    {"Gjøvik", 2815, 2830, "61", 2},	  {"Elverum", 2406, 2418, "62", 1},
    {"Kongsvinger", 2211, 2226, "62", 1},
};
static const struct city nno[] = {
    {"Tromsø", 9006, 9020, "77", 4},	 {"Bodø", 8003, 8020, "75", 3},
    {"Narvik", 8505, 8520, "76", 1},	 {"Alta", 9506, 9515, "78", 1},
    {"Harstad", 9405, 9415, "77", 1},	 {"Mo i Rana", 8610, 8626, "75", 1},
    {"Hammerfest", 9600, 9615, "78", 1},
};
static const struct city sve[] = {
    {"Stockholm", 11120, 11860, "8", 4},
    {"Göteborg", 41101, 41879, "31", 2},
    {"Malmö", 21111, 21876, "40", 2},
    {"Uppsala", 75220, 75758, "18", 1},
};

#define TERR(c, n, k, w, t)                                                    \
	{                                                                      \
		c, n, k, w, t, ARRAY_LEN(t)                                    \
	}
static const struct terr_def territories[] = {
    TERR("OSL", "Oslo", C_NO, 200, osl),
    TERR("VIK", "Viken/Østlandet", C_NO, 170, vik),
    TERR("VES", "Vestland", C_NO, 130, ves),
    TERR("ROG", "Rogaland", C_NO, 90, rog),
    TERR("AGD", "Agder", C_NO, 60, agd),
    TERR("TRO", "Trøndelag", C_NO, 100, tro),
    TERR("MRO", "Møre og Romsdal", C_NO, 55, mro),
    TERR("INN", "Innlandet", C_NO, 60, inn),
    TERR("NNO", "Nord-Norge", C_NO, 95, nno),
    TERR("SVE", "Sverige", C_SE, 40, sve),
};
#undef TERR
#define N_TERR ARRAY_LEN(territories)

/* Everything that differs between Norwegian and Swedish records. */
struct locale_def {
	const char *iso;	    /* country code */
	const char *tld;	    /* e-mail domain ending */
	const char *zone;	    /* IANA zone of reps */
	const char *ui_locale;	    /* users.locale */
	const char *const *first;   /* first names */
	size_t n_first;		    /* entries in first */
	const char *const *last;    /* surnames */
	size_t n_last;		    /* entries in last */
	const char *const *prefix1; /* compound first halves: "Fjord" */
	size_t n_prefix1;	    /* entries in prefix1 */
	const char *const *prefix2; /* compound second halves: "lys" */
	size_t n_prefix2;	    /* entries in prefix2 */
	const char *const *words;   /* standalone brand words */
	size_t n_words;		    /* entries in words */
	const char *const *trades;  /* "Regnskap", "Rør", ... */
	size_t n_trades;	    /* entries in trades */
	const char *const *crafts;  /* "Rørlegger" in "Rørlegger Berg AS" */
	size_t n_crafts;	    /* entries in crafts */
	const char *const *titles;  /* job titles of contacts */
	size_t n_titles;	    /* entries in titles */
	const char *boss;	    /* usual title of the first contact */
	const char *const *streets; /* street names */
	size_t n_streets;	    /* entries in streets */
	const char *const *floors;  /* second address lines */
	size_t n_floors;	    /* entries in floors */
	const char *const *mail_users; /* company mailbox names */
	size_t n_mail_users;	       /* entries in mail_users */
	const char *const *notes;      /* short customer notes */
	size_t n_notes;		       /* entries in notes */
	const char *and_co;	       /* " & Co", " & Söner" */
};

static const char *const no_first[] = {
    "Kari",	"Ola",	     "Åse",	  "Øystein", "Bjørn",	 "Ingrid",
    "Sigrid",	"Håkon",     "Solveig",	  "Anne",    "Per",	 "Jan",
    "Lars",	"Kjell",     "Knut",	  "Arne",    "Hans",	 "Nils",
    "Marit",	"Liv",	     "Berit",	  "Hilde",   "Silje",	 "Ingvild",
    "Ragnhild", "Tone",	     "Trond",	  "Geir",    "Terje",	 "Espen",
    "Morten",	"Jørgen",    "Ståle",	  "Gunnar",  "Tor",	 "Eirik",
    "Sindre",	"Magnus",    "Emma",	  "Nora",    "Ida",	 "Thea",
    "Maja",	"Sofie",     "Jonas",	  "Mathias", "Aksel",	 "Henrik",
    "Mari",	"Camilla",   "Kristin",	  "Guro",    "Randi",	 "Åshild",
    "Frøydis",	"Sølvi",     "Ørjan",	  "Bjørg",   "Tormod",	 "Siri",
    "Astrid",	"Anne-Lise", "Jens",	  "Vegard",  "Linn",	 "Ahmed",
    "Fatima",	"Piotr",     "Agnieszka", "Linh",    "Mohammed", "Sara",
};
static const char *const no_last[] = {
    "Hansen",	 "Johansen",	"Olsen",       "Larsen",    "Andersen",
    "Pedersen",	 "Nilsen",	"Kristiansen", "Jensen",    "Karlsen",
    "Johnsen",	 "Pettersen",	"Eriksen",     "Berg",	    "Haugen",
    "Hagen",	 "Johannessen", "Andreassen",  "Jacobsen",  "Dahl",
    "Jørgensen", "Halvorsen",	"Henriksen",   "Lund",	    "Sørensen",
    "Moen",	 "Gundersen",	"Iversen",     "Strand",    "Solberg",
    "Svendsen",	 "Eide",	"Knutsen",     "Martinsen", "Paulsen",
    "Bakken",	 "Mathisen",	"Lie",	       "Amundsen",  "Nguyen",
    "Rasmussen", "Lunde",	"Solheim",     "Berge",	    "Moe",
    "Nygård",	 "Bakke",	"Fredriksen",  "Holm",	    "Lien",
    "Hauge",	 "Evensen",	"Sæther",      "Aas",	    "Myhre",
    "Ødegård",	 "Østby",	"Ås",	       "Nordmann",  "Bjørnstad",
    "Sæbø",	 "Bråten",	"Løken",       "Aasen",	    "Våge",
    "Grønli",	 "Kvåle",	"Thorsen",     "Tveit",	    "Haaland",
    "Rønning",	 "Sletten",	"Skår",	       "Fjeld",	    "Hovland",
    "Næss",	 "Kvam",	"Ali",	       "Kowalski",  "Tran",
};
static const char *const no_prefix1[] = {
    "Fjord", "Nord",   "Sol",  "Vik",  "Skog", "Elv", "Strand", "Fjell",
    "Lyng",  "Bjørk",  "Hav",  "Øst",  "Vest", "Sør", "Ås",	"Bre",
    "Tind",  "Dal",    "Furu", "Gran", "Eik",  "Ærø", "Måne",	"Snø",
    "Lo",    "Fossen", "Myr",  "Støl", "Ørne", "Bø",
};
static const char *const no_prefix2[] = {
    "lys",    "vik",   "berg", "heim", "stad", "lund",	 "li",
    "haug",   "nes",   "dal",  "sund", "våg",  "øy",	 "kraft",
    "bakken", "glimt", "tun",  "tind", "gard", "strand",
};
static const char *const no_words[] = {
    "Nordlys",	 "Fjordlys",  "Polar",	   "Midnattsol", "Havbris",
    "Nordavind", "Fjellbekk", "Solstreif", "Kystlys",	 "Vestavind",
    "Fossekall", "Blåbær",    "Tyttebær",  "Multe",	 "Havørn",
    "Lomvi",	 "Reinrose",  "Skjærgård", "Fyrlykt",	 "Brygge",
};
static const char *const no_trades[] = {
    "Regnskap",	   "Rør",	   "Bygg",
    "Elektro",	   "Transport",	   "Eiendom",
    "Tannklinikk", "Maskin",	   "Fisk",
    "Data",	   "Revisjon",	   "Catering",
    "Snekkeri",	   "Malerservice", "Entreprenør",
    "Bilverksted", "Sjømat",	   "Regnskapskontor",
    "Optikk",	   "Fysioterapi",  "Ventilasjon",
    "Graving",	   "Taktekking",   "Kjøleservice",
    "Havbruk",	   "Blomster",	   "Trafikkskole",
    "Consulting",  "Rørservice",   "Elektroservice",
    "Bakeri",	   "Hytteservice",
};
static const char *const no_crafts[] = {
    "Rørlegger", "Byggmester", "Elektriker", "Maler",
    "Tannlege",	 "Murmester",  "Snekker",    "Blikkenslager",
};
static const char *const no_titles[] = {
    "Daglig leder", "Innkjøper",   "Økonomisjef",    "Salgssjef",
    "IT-ansvarlig", "Kontorleder", "Regnskapsfører", "Driftsleder",
    "Styreleder",   "Markedssjef", "Prosjektleder",  "Innkjøpsansvarlig",
};
static const char *const no_streets[] = {
    "Storgata",	   "Kirkegata",	     "Kongens gate",	 "Dronningens gate",
    "Strandveien", "Fjordveien",     "Skogveien",	 "Industriveien",
    "Havnegata",   "Parkveien",	     "Ringveien",	 "Solbakken",
    "Torggata",	   "Sjøgata",	     "Åsveien",		 "Bjørkeveien",
    "Granveien",   "Løkkeveien",     "Tollbugata",	 "Jernbanegata",
    "Nedre gate",  "Øvre gate",	     "Bryggegata",	 "Fabrikkveien",
    "Møllevegen",  "Kaigata",	     "Prestegårdsveien", "Skolegata",
    "Elvegata",	   "Stasjonsveien",  "Bekkeveien",	 "Lyngveien",
    "Fjellveien",  "Havnevegen",     "Markveien",	 "Rådhusgata",
    "Smedgata",	   "Teglverksveien", "Verkstedveien",	 "Næringsveien",
};
static const char *const no_floors[] = {
    "2. etasje", "3. etasje", "Bygg B", "Inngang fra bakgården", "Postmottak",
};
static const char *const no_mail_users[] = {
    "post", "post", "post", "firmapost", "kontakt", "info",
};
static const char *const no_notes[] = {
    "Foretrekker møter før lunsj.",
    "Ring før besøk.",
    "Ønsker tilbud på serviceavtale.",
    "Parkering i bakgården.",
    "Kontaktes igjen etter sommerferien.",
    "Har rammeavtale ut året.",
    "Betaler alltid på forfall.",
    "Bestiller mest i fjerde kvartal.",
    "Spør etter daglig leder.",
    "Sendte katalog i mars; venter på svar.",
    "Vil ha faktura på e-post (EHF).",
    "Stengt i fellesferien.",
};

static const char *const se_first[] = {
    "Anna",   "Eva",   "Maria",	 "Karin",  "Sara",  "Lena",  "Emma",
    "Erik",   "Lars",  "Karl",	 "Anders", "Johan", "Per",   "Mikael",
    "Björn",  "Åsa",   "Linnéa", "Göran",  "Sören", "Märta", "Ulf",
    "Ingela", "Stina", "Jöns",	 "Elsa",   "Nils",  "Oskar", "Ebba",
};
static const char *const se_last[] = {
    "Andersson", "Johansson", "Karlsson",  "Nilsson",  "Eriksson",
    "Larsson",	 "Olsson",    "Persson",   "Svensson", "Gustafsson",
    "Lindqvist", "Lindström", "Bergström", "Sjöberg",  "Åkesson",
    "Öberg",	 "Ekström",   "Holmgren",  "Nyström",  "Wallin",
    "Engström",	 "Löfgren",   "Hedlund",   "Sandberg",
};
static const char *const se_prefix1[] = {
    "Göta",  "Mälar", "Sjö",   "Berg", "Skog",	"Fjäll", "Ek",
    "Björk", "Norr",  "Söder", "Väst", "Öster", "Lin",	 "Hav",
};
static const char *const se_prefix2[] = {
    "dal", "vik", "berg", "lund", "ström", "holm", "näs", "by", "ljus",
};
static const char *const se_words[] = {
    "Norrsken", "Midsommar", "Skärgård", "Lingon", "Dalahäst", "Fyren",
};
static const char *const se_trades[] = {
    "Bygg",	"El",	"Transport", "Redovisning", "Fastigheter",
    "Tandvård", "Data", "Måleri",    "VVS",	    "Konsult",
    "Fisk",	"Städ", "Revision",  "Catering",    "Snickeri",
};
static const char *const se_crafts[] = {
    "Byggmästare",
    "Elektriker",
    "Målare",
    "Tandläkare",
};
static const char *const se_titles[] = {
    "VD",	   "Inköpare",	  "Ekonomichef",   "Försäljningschef",
    "IT-ansvarig", "Kontorschef", "Projektledare",
};
static const char *const se_streets[] = {
    "Storgatan",     "Kungsgatan", "Drottninggatan",  "Sveavägen",
    "Industrigatan", "Hamngatan",  "Östra Hamngatan", "Järnvägsgatan",
    "Skolgatan",     "Kyrkogatan", "Parkvägen",	      "Sjövägen",
};
static const char *const se_floors[] = {"2 tr", "3 tr", "Hus B"};
static const char *const se_mail_users[] = {"info", "info", "kontakt"};
static const char *const se_notes[] = {
    "Föredrar möten på förmiddagen.",
    "Ring innan besök.",
    "Vill ha offert på serviceavtal.",
    "Kontakta efter semestern.",
    "Fakturor via e-post.",
};

#define L(a) a, ARRAY_LEN(a)
static const struct locale_def locales[] = {
    [C_NO] = {"NO", "no", "Europe/Oslo", "nb", L(no_first), L(no_last),
	      L(no_prefix1), L(no_prefix2), L(no_words), L(no_trades),
	      L(no_crafts), L(no_titles), "Daglig leder", L(no_streets),
	      L(no_floors), L(no_mail_users), L(no_notes), " & Co"},
    [C_SE] = {"SE", "se", "Europe/Stockholm", "en", L(se_first), L(se_last),
	      L(se_prefix1), L(se_prefix2), L(se_words), L(se_trades),
	      L(se_crafts), L(se_titles), "VD", L(se_streets), L(se_floors),
	      L(se_mail_users), L(se_notes), " & Söner"},
};
#undef L
_Static_assert(ARRAY_LEN(locales) == C_SE + 1, "one locale per country");

#define LPICK(r, loc, f) ((loc)->f[rng_below((r), (loc)->n_##f)])

/* ---- fixed-buffer string building ---- */

struct sb {
	char *p;     /* borrowed: the buffer, always NUL-terminated */
	size_t size; /* bytes in p */
	size_t len;  /* bytes used */
	bool trunc;  /* an append did not fit (a table entry is too long) */
};

static void
sb_init(struct sb *b, char *p, size_t size)
{
	b->p = p;
	b->size = size;
	b->len = 0;
	b->trunc = false;
	p[0] = '\0';
}

static void
sb_addn(struct sb *b, const char *s, size_t n)
{
	if (b->len + n >= b->size) {
		b->trunc = true;
		return;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void
sb_adds(struct sb *b, const char *s)
{
	sb_addn(b, s, strlen(s));
}

static void
sb_addc(struct sb *b, char c)
{
	sb_addn(b, &c, 1);
}

/* Decimal, zero-padded to 'width' digits. */
static void
sb_addu(struct sb *b, uint64_t v, int width)
{
	char tmp[24];
	int n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v && n < (int)sizeof(tmp));
	while (n < width && n < (int)sizeof(tmp))
		tmp[n++] = '0';
	while (n)
		sb_addc(b, tmp[--n]);
}

/* ASCII for the two-byte UTF-8 letter at s ("ae" for "æ"), "" if none. */
static const char *
ascii_of(const char *s)
{
	static const struct {
		char utf8[3];	   /* the letter in UTF-8 */
		const char *ascii; /* its spelling in addresses */
	} map[] = {
	    {"æ", "ae"}, {"Æ", "ae"}, {"ø", "o"}, {"Ø", "o"}, {"å", "a"},
	    {"Å", "a"},	 {"ä", "a"},  {"Ä", "a"}, {"ö", "o"}, {"Ö", "o"},
	    {"é", "e"},	 {"É", "e"},  {"ü", "u"}, {"Ü", "u"},
	};

	for (size_t i = 0; i < ARRAY_LEN(map); i++)
		if (s[0] == map[i].utf8[0] && s[1] == map[i].utf8[1])
			return map[i].ascii;
	return "";
}

/*
 * Lowercase ASCII for e-mail addresses and domains: letters and digits
 * kept, æ->ae, ø->o, å->a (and ä, ö, é, ü), a space becomes 'space' (or
 * nothing when 0), '-' stays, everything else is dropped.
 */
static void
sb_translit(struct sb *b, const char *s, char space)
{
	while (*s) {
		unsigned char c = (unsigned char)*s++;

		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '-') {
			sb_addc(b, (char)c);
		} else if (c >= 'A' && c <= 'Z') {
			sb_addc(b, (char)(c - 'A' + 'a'));
		} else if (c == ' ' && space) {
			sb_addc(b, space);
		} else if (c >= 0x80) {
			sb_adds(b, ascii_of(s - 1));
			while (((unsigned char)*s & 0xc0) == 0x80)
				s++; /* the rest of the sequence */
		}
	}
}

/* Write 'digits' through 'pattern': each '#' takes the next digit. */
static void
sb_pattern(struct sb *b, const char *pattern, const char *digits)
{
	for (const char *p = pattern; *p; p++) {
		if (*p != '#')
			sb_addc(b, *p);
		else if (*digits)
			sb_addc(b, *digits++);
		else
			sb_addc(b, '0');
	}
}

/* ---- phone numbers ---- */

/*
 * The many ways Norwegians write one number, so search by any form is
 * exercised. Landlines are AA BB CC DD, mobiles 4xx xx xxx / 9xx xx xxx.
 */
static const char *const no_landline_forms[] = {
    "+47 ## ## ## ##", "+47 ## ## ## ##",  "## ## ## ##", "## ## ## ##",
    "########",	       "0047 ## ## ## ##", "+47########", "(+47) ## ## ## ##",
};
static const char *const no_mobile_forms[] = {
    "+47 ### ## ###", "+47 ### ## ###",	 "### ## ###",	    "### ## ###",
    "########",	      "0047 ### ## ###", "+47 ## ## ## ##", "+47########",
};

/*
 * A keyed bijection of [0, mod): distinct inputs give distinct outputs, so
 * numbers made from distinct sequence numbers never collide, yet they look
 * random. Invertible steps on the smallest power of two >= mod (add the
 * key, xor-shift, multiply by an odd number), repeated until the value
 * falls inside [0, mod) ("cycle walking", at most two rounds on average).
 */
static uint64_t
perm(uint64_t k, uint64_t key, uint64_t mod)
{
	unsigned bits = 1;
	uint64_t mask;
	uint64_t x = k % mod;

	while ((UINT64_C(1) << bits) < mod)
		bits++;
	mask = (UINT64_C(1) << bits) - 1;
	do {
		uint64_t rk = key; /* the same three rounds on every walk */

		for (int round = 0; round < 3; round++) {
			rk = rng_mix64(rk);
			x = (x + rk) & mask;
			x ^= x >> (bits / 2 + 1);
			x = (x * UINT64_C(0x9e3779b97f4a7c15)) & mask;
			x ^= x >> (bits / 2);
		}
	} while (x >= mod);
	return x;
}

static void
no_landline(struct sb *b, struct rng *r, const char *area, uint64_t sub)
{
	char digits[12];
	struct sb d;

	sb_init(&d, digits, sizeof(digits));
	sb_addn(&d, area, 2);
	sb_addu(&d, sub % 1000000, 6);
	sb_pattern(b, PICK(r, no_landline_forms), digits);
}

static void
no_mobile(struct sb *b, struct rng *r, uint64_t x)
{
	char digits[12];
	struct sb d;

	/* x in [0, 2e7): 40000000..49999999 or 90000000..99999999 */
	sb_init(&d, digits, sizeof(digits));
	sb_addu(&d, x < 10000000 ? 40000000 + x : 80000000 + x, 8);
	sb_pattern(b, PICK(r, no_mobile_forms), digits);
}

/* Swedish: area code (without trunk 0) and subscriber number. */
static void
se_number(struct sb *b, struct rng *r, const char *area, uint64_t sub,
	  int sub_len)
{
	char digits[12];
	struct sb d;
	unsigned form = rng_below(r, 4);

	sb_init(&d, digits, sizeof(digits));
	sb_addu(&d, sub, sub_len);
	if (form == 0 || form == 2) {
		sb_addc(b, '0');
		sb_adds(b, area);
		sb_addc(b, form == 0 ? '-' : ' ');
	} else if (form == 1) {
		sb_adds(b, "+46 ");
		sb_adds(b, area);
		sb_addc(b, ' ');
	} else {
		sb_adds(b, "0046");
		sb_adds(b, area);
		sb_adds(b, digits);
		return;
	}
	sb_pattern(b, sub_len == 7 ? "### ## ##" : "## ## ##", digits);
}

/* ---- one customer and its contacts ---- */

/* Text of one generated customer; struct customer points into it. */
struct gen_customer {
	char name[160];	   /* company name with legal form */
	char domain[96];   /* e-mail domain made from the name */
	char phone[40];	   /* switchboard as written */
	char email[128];   /* company mailbox, "" when none */
	char address[160]; /* street lines */
	char postcode[12]; /* "0150", "114 55" */
	char number[24];   /* customer number */
	const char *area;  /* landline prefix, borrowed from the city table */
};

/* Text of one generated contact; struct contact points into it. */
struct gen_contact {
	char name[96];	 /* first and last name */
	char phone[40];	 /* direct line as written */
	char mobile[40]; /* mobile as written */
	char email[200]; /* first.last@domain */
};

static const char *
legal_form(struct rng *r, enum country k)
{
	unsigned p = rng_below(r, 100);

	/* sole traders (ENK) come from the name pattern with the owner */
	if (k == C_SE)
		return p < 95 ? "AB" : "HB";
	if (p < 86)
		return "AS";
	if (p < 93)
		return "ANS";
	if (p < 97)
		return "DA";
	return "SA";
}

/* A realistic, invented company name ending in its legal form. */
static void
company_name(struct sb *b, struct rng *r, const struct locale_def *loc,
	     enum country k, const struct city *city)
{
	unsigned p = rng_below(r, 100);
	const char *form = legal_form(r, k);

	if (p < 30) { /* Fjordlys Regnskap AS */
		sb_adds(b, LPICK(r, loc, prefix1));
		sb_adds(b, LPICK(r, loc, prefix2));
		sb_addc(b, ' ');
		sb_adds(b, LPICK(r, loc, trades));
	} else if (p < 55) { /* Bjørnstad Transport AS */
		sb_adds(b, LPICK(r, loc, last));
		sb_addc(b, ' ');
		sb_adds(b, LPICK(r, loc, trades));
	} else if (p < 62) { /* Berg, Hansen & Co AS */
		const char *a = LPICK(r, loc, last);
		const char *c = LPICK(r, loc, last);

		sb_adds(b, a);
		if (a != c) {
			sb_adds(b, ", ");
			sb_adds(b, c);
		}
		sb_adds(b, loc->and_co);
		if (strcmp(form, "SA") == 0)
			form = "AS";
	} else if (p < 72) { /* Ålesund Fisk AS */
		sb_adds(b, city->name);
		sb_addc(b, ' ');
		sb_adds(b, LPICK(r, loc, trades));
	} else if (p < 84) { /* Nordlys Elektro AS */
		sb_adds(b, LPICK(r, loc, words));
		sb_addc(b, ' ');
		sb_adds(b, LPICK(r, loc, trades));
	} else if (p < 91) { /* Rørlegger Østby AS */
		sb_adds(b, LPICK(r, loc, crafts));
		sb_addc(b, ' ');
		sb_adds(b, LPICK(r, loc, last));
	} else if (p < 95) { /* Haugen & Lie ANS */
		sb_adds(b, LPICK(r, loc, last));
		sb_adds(b, " & ");
		sb_adds(b, LPICK(r, loc, last));
		if (k == C_NO)
			form = rng_pct(r, 50) ? "ANS" : "AS";
	} else { /* Ola Haugen Snekkeri ENK: a sole trader's own name */
		sb_adds(b, LPICK(r, loc, first));
		sb_addc(b, ' ');
		sb_adds(b, LPICK(r, loc, last));
		sb_addc(b, ' ');
		sb_adds(b, LPICK(r, loc, trades));
		form = k == C_NO ? "ENK" : "EF";
	}
	sb_addc(b, ' ');
	sb_adds(b, form);
}

/* "fjordlysregnskap.no" or "fjordlys-regnskap.no" from the name. */
static void
company_domain(struct sb *b, struct rng *r, const char *name,
	       const struct locale_def *loc)
{
	char word[64];
	const char *p = name;
	const char *last_space = strrchr(name, ' ');
	bool dash = rng_pct(r, 30);
	int words = 0;

	/* every word but the legal form, at most three, no "&" or "Co" */
	while (p < last_space && words < 3) {
		const char *end = strchr(p, ' ');
		size_t n = (size_t)(end - p);

		if (n < sizeof(word)) {
			memcpy(word, p, n);
			word[n] = '\0';
			if (strcmp(word, "&") != 0 && strcmp(word, "Co") != 0 &&
			    strcmp(word, "Söner") != 0) {
				if (words++ && dash)
					sb_addc(b, '-');
				sb_translit(b, word, 0);
			}
		}
		p = end + 1;
	}
	if (words == 0)
		sb_adds(b, "firma");
	sb_addc(b, '.');
	sb_adds(b, loc->tld);
}

/* Fill 'g' and 'c' (pointing into 'g') for a company in territory 'td'. */
static void
gen_company(struct rng *r, const struct terr_def *td, struct gen_customer *g,
	    struct customer *c, const char **notes_out)
{
	const struct locale_def *loc = &locales[td->country];
	const struct city *city = &td->cities[0];
	unsigned total = 0;
	unsigned pick;
	unsigned status = rng_below(r, 100);
	unsigned pc;
	struct sb b;

	for (size_t i = 0; i < td->n_cities; i++)
		total += td->cities[i].weight;
	pick = rng_below(r, total);
	for (size_t i = 0; i < td->n_cities; i++) {
		if (pick < td->cities[i].weight) {
			city = &td->cities[i];
			break;
		}
		pick -= td->cities[i].weight;
	}

	sb_init(&b, g->name, sizeof(g->name));
	company_name(&b, r, loc, td->country, city);
	sb_init(&b, g->domain, sizeof(g->domain));
	company_domain(&b, r, g->name, loc);

	sb_init(&b, g->email, sizeof(g->email));
	if (rng_pct(r, 85)) {
		sb_adds(&b, LPICK(r, loc, mail_users));
		sb_addc(&b, '@');
		sb_adds(&b, g->domain);
	}

	sb_init(&b, g->address, sizeof(g->address));
	sb_adds(&b, LPICK(r, loc, streets));
	sb_addc(&b, ' ');
	sb_addu(&b, 1 + rng_below(r, 140), 0);
	if (rng_pct(r, 12)) {
		sb_addc(&b, ' ');
		sb_addc(&b, (char)('A' + rng_below(r, 4)));
	}
	if (rng_pct(r, 7)) {
		sb_addc(&b, '\n');
		sb_adds(&b, LPICK(r, loc, floors));
	}

	pc = city->pc_lo + rng_below(r, city->pc_hi - city->pc_lo + 1);
	sb_init(&b, g->postcode, sizeof(g->postcode));
	if (td->country == C_SE) {
		sb_addu(&b, pc / 100, 3);
		sb_addc(&b, ' ');
		sb_addu(&b, pc % 100, 2);
	} else {
		sb_addu(&b, pc, 4);
	}

	if (td->country == C_NO) {
		size_t n_areas = strlen(city->areas) / 2;
		g->area = city->areas + (size_t)2 * rng_below(r, n_areas);
	} else {
		g->area = city->areas;
	}

	*notes_out = rng_pct(r, 15) ? LPICK(r, loc, notes) : NULL;
	c->name = g->name;
	c->email = g->email[0] ? g->email : NULL;
	c->address = g->address;
	c->postcode = g->postcode;
	c->city = city->name;
	c->country = loc->iso;
	c->status = status < 70	  ? CUSTOMER_CUSTOMER
		    : status < 95 ? CUSTOMER_PROSPECT
				  : CUSTOMER_FORMER;
}

/*
 * The company's switchboard. 'seq' (0, 1, 2, ... over every demo customer
 * ever made: the customer number less DEMO_FIRST_NUMBER) keeps numbers of
 * different customers apart.
 */
static void
gen_company_phone(struct rng *r, const struct terr_def *td, uint64_t seq,
		  struct gen_customer *g, struct customer *c, uint64_t seed)
{
	struct sb b;
	uint64_t sub;

	sb_init(&b, g->phone, sizeof(g->phone));
	if (rng_pct(r, 8)) { /* some companies have no number on file */
		c->phone = NULL;
		return;
	}
	if (td->country == C_NO) {
		sub = perm(seq, seed, 1000000);
		no_landline(&b, r, g->area, sub);
	} else {
		int len = strlen(g->area) == 1 ? 7 : 6;
		uint64_t mod = len == 7 ? 10000000 : 1000000;
		sub = perm(seq, seed, mod);
		/* subscriber numbers do not start with 0 */
		if (sub < mod / 10)
			sub += mod / 10;
		se_number(&b, r, g->area, sub, len);
	}
	c->phone = g->phone;
}

static void
gen_contact(struct rng *r, const struct terr_def *td,
	    const struct gen_customer *g, uint64_t seq, unsigned j,
	    uint64_t seed, struct gen_contact *p, struct contact *ct)
{
	const struct locale_def *loc = &locales[td->country];
	const char *first = LPICK(r, loc, first);
	const char *last = LPICK(r, loc, last);
	/* every contact of every demo customer gets its own mobile key */
	uint64_t k = seq * DEMO_MAX_CONTACTS + j;
	struct sb b;

	sb_init(&b, p->name, sizeof(p->name));
	sb_adds(&b, first);
	sb_addc(&b, ' ');
	sb_adds(&b, last);
	ct->name = p->name;
	ct->title =
	    (j == 0 && rng_pct(r, 60)) ? loc->boss : LPICK(r, loc, titles);

	sb_init(&b, p->email, sizeof(p->email));
	sb_translit(&b, first, '.');
	sb_addc(&b, '.');
	sb_translit(&b, last, '.');
	sb_addc(&b, '@');
	sb_adds(&b, g->domain);
	ct->email = rng_pct(r, 92) ? p->email : NULL;

	sb_init(&b, p->mobile, sizeof(p->mobile));
	if (td->country == C_NO) {
		no_mobile(&b, r, perm(k, seed, 20000000));
	} else {
		static const char *const se_mobile[] = {"70", "72", "73", "76",
							"79"};
		const char *area = PICK(r, se_mobile);
		se_number(&b, r, area, perm(k, seed, 10000000), 7);
	}
	ct->mobile = rng_pct(r, 95) ? p->mobile : NULL;

	/* a direct line next to the switchboard for some */
	sb_init(&b, p->phone, sizeof(p->phone));
	ct->phone = NULL;
	if (rng_pct(r, 25) || !ct->mobile) {
		if (td->country == C_NO) {
			no_landline(&b, r, g->area,
				    perm(seq, seed, 1000000) + j + 1);
		} else {
			se_number(&b, r, g->area,
				  1000000 + rng_below(r, 8999999), 7);
		}
		ct->phone = p->phone;
	}
}

/* ---- the run ---- */

struct org {
	int64_t terr_id[N_TERR];	     /* stored ids */
	int64_t reps[N_TERR][DEMO_MAX_REPS]; /* enabled reps, owners */
	unsigned n_reps[N_TERR];	     /* entries used in reps */
	char emails[N_TERR * (DEMO_MAX_REPS + 1)][96]; /* made this run */
	size_t n_emails;			       /* entries in emails */
};

struct cal;

/* Appointments of the current batch, counted into the report on commit. */
struct appt_count {
	uint64_t rows;	   /* appointment rows */
	uint64_t series;   /* ... of which series */
	uint64_t upcoming; /* ... of which scheduled */
};

struct run {
	struct store *s;		/* borrowed */
	const struct demo_options *opt; /* borrowed */
	struct demo_report *rep;	/* borrowed: the caller's report */
	struct org *org;		/* owned by demo_generate */
	struct cal *cal;		/* owned; NULL without appointments */
	struct arena a;			/* owned: one batch's records */
	struct appt_count batch;	/* appointments of the open batch */
	uint64_t next;			/* next candidate customer number */
	uint64_t conflict;		/* number that failed to insert */
	uint64_t first;			/* number of the run's first customer */
};

static double
now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static bool
email_taken(const struct org *org, const char *email)
{
	for (size_t i = 0; i < org->n_emails; i++)
		if (strcmp(org->emails[i], email) == 0)
			return true;
	return false;
}

/* Find or create the user of slot 'slot' (0 = manager) of territory t. */
static enum av_err
org_user(struct run *run, size_t t, unsigned slot, struct av_error *err)
{
	const struct terr_def *td = &territories[t];
	const struct locale_def *loc = &locales[td->country];
	struct org *org = run->org;
	struct rng r = rng_for(ORG_SEED, t * 64 + slot);
	const char *first = LPICK(&r, loc, first);
	const char *last = LPICK(&r, loc, last);
	char name[96];
	char email[96];
	struct user u = {0};
	struct av_error e = {0};
	enum av_err rc;
	struct sb b;

	/* fixed people the documentation can name */
	if (t == 0 && slot <= 1) {
		first = slot == 0 ? "Ola" : "Kari";
		last = "Nordmann";
	}
	sb_init(&b, name, sizeof(name));
	sb_adds(&b, first);
	sb_addc(&b, ' ');
	sb_adds(&b, last);
	for (unsigned n = 1;; n++) {
		sb_init(&b, email, sizeof(email));
		sb_translit(&b, first, '.');
		sb_addc(&b, '.');
		sb_translit(&b, last, '.');
		if (n > 1)
			sb_addu(&b, n, 0);
		sb_adds(&b, "@" DEMO_DOMAIN);
		if (b.trunc)
			return av_errorf(err, AV_EINTERNAL,
					 "demo e-mail too long");
		if (!email_taken(org, email))
			break;
	}
	memcpy(org->emails[org->n_emails++], email, sizeof(email));

	rc = store_user_by_email(run->s, email, &run->a, &u, &e);
	if (rc == AV_ENOTFOUND) {
		u = (struct user){0};
		u.email = email;
		u.name = name;
		u.role = slot == 0 ? ROLE_MANAGER : ROLE_REP;
		u.time_zone = loc->zone;
		u.locale = loc->ui_locale;
		u.territory_id = org->terr_id[t];
		rc = store_user_insert(run->s, &u, err);
		if (rc)
			return rc;
		run->rep->users++;
	} else if (rc) {
		*err = e;
		return rc;
	}
	if (slot > 0 && !u.disabled)
		org->reps[t][org->n_reps[t]++] = u.id;
	return AV_OK;
}

/* Territories, then managers and reps slot by slot, so a larger
 * reps_per_territory only adds people and never renames earlier ones. */
static enum av_err
org_build(struct run *run, struct av_error *err)
{
	enum av_err rc;

	if ((rc = store_begin(run->s, err)))
		return rc;
	for (size_t t = 0; t < N_TERR; t++) {
		struct territory tr = {0};
		struct av_error e = {0};

		rc = store_territory_find(run->s, territories[t].code, &run->a,
					  &tr, &e);
		if (rc == AV_OK && str_ieq(tr.code, territories[t].code)) {
			run->org->terr_id[t] = tr.id;
			continue;
		}
		if (rc && rc != AV_ENOTFOUND) {
			*err = e;
			goto fail;
		}
		tr = (struct territory){0};
		tr.code = territories[t].code;
		tr.name = territories[t].name;
		if ((rc = store_territory_insert(run->s, &tr, err)))
			goto fail;
		run->org->terr_id[t] = tr.id;
		run->rep->territories++;
	}
	for (unsigned slot = 0; slot <= run->opt->reps_per_territory; slot++)
		for (size_t t = 0; t < N_TERR; t++)
			if ((rc = org_user(run, t, slot, err)))
				goto fail;
	for (size_t t = 0; t < N_TERR; t++)
		if (run->org->n_reps[t] == 0) {
			rc = av_errorf(err, AV_ECONFLICT,
				       "territory '%s' has no enabled demo "
				       "reps",
				       territories[t].code);
			goto fail;
		}
	rc = store_commit(run->s, err);
	arena_release(&run->a);
	return rc;
fail:
	store_rollback(run->s);
	arena_release(&run->a);
	run->rep->territories = 0;
	run->rep->users = 0;
	return rc;
}

/* Where the previous demo run stopped (DEMO_FIRST_NUMBER if none). */
static enum av_err
load_next(struct run *run, struct av_error *err)
{
	const char *v = NULL;
	struct av_error e = {0};
	int64_t n;
	enum av_err rc = store_setting_get(run->s, NEXT_KEY, &run->a, &v, &e);

	run->next = DEMO_FIRST_NUMBER;
	if (rc == AV_ENOTFOUND)
		return AV_OK;
	if (rc) {
		*err = e;
		return rc;
	}
	if (str_to_i64(v, DEMO_FIRST_NUMBER, INT64_MAX / 2, &n))
		run->next = (uint64_t)n;
	return AV_OK;
}

static void
number_text(char *out, size_t size, uint64_t n)
{
	struct sb b;

	sb_init(&b, out, size);
	sb_addu(&b, n, 0);
}

/* The next customer number nobody uses, as text in 'out'. */
static enum av_err
take_number(struct run *run, char *out, size_t size, struct av_error *err)
{
	for (;;) {
		struct customer tmp;
		struct av_error e = {0};
		enum av_err rc;

		number_text(out, size, run->next);
		rc = store_customer_by_number(run->s, out, &run->a, &tmp, &e);
		if (rc == AV_ENOTFOUND)
			return AV_OK;
		if (rc) {
			*err = e;
			return rc;
		}
		run->next++; /* taken by a customer made another way */
	}
}

/* ---- appointments ---- */

/*
 * Day indexes of the calendar: 0 is PAST_DAYS before today, TODAY is the
 * local date of store_now(), the last day is the last a series can reach.
 * Each weekday has QUARTERS quarter-hours from 08:00 to 16:00 local time;
 * bit q of a rep's day is set when quarter-hour q is taken.
 */
enum {
	PAST_DAYS = 365,   /* history: the year before today */
	NEXT_DAYS = 56,	   /* scheduled singles: the next eight weeks */
	SERIES_FIRST = 14, /* a series starts within two weeks ... */
	SERIES_WEEKS = 8,  /* ... and has this many weekly occurrences */
	TODAY = PAST_DAYS,
	CAL_DAYS = TODAY + SERIES_FIRST + 7 * (SERIES_WEEKS - 1) + 1,
	DAY_START_HOUR = 8,
	QUARTERS = 32, /* 08:00 .. 16:00 */
	QUARTER_S = 900,
	DAY_TRIES = 12,	   /* random days tried before scanning them all */
	SERIES_TRIES = 40, /* random slots tried for a series */
	LOAD_DAYS = 7,	   /* days per query when reading a rep's calendar */
	OWNER_PCT = 85,	   /* held by the owner; a colleague otherwise */
	SERIES_PCT = 4,	   /* customers with a weekly series */
};
_Static_assert(QUARTERS <= 32, "a day's quarter-hours fit in 32 bits");

#define APPT_SEED    UINT64_C(0x4d65657469) /* "Meeti" */
#define SERIES_RRULE "FREQ=WEEKLY;COUNT=8"  /* SERIES_WEEKS */
#define VIDEO_HOST   "https://meet.avtale.no/"

enum span { SPAN_PAST, SPAN_NEXT, SPAN__MAX };

struct cal {
	int64_t now;			  /* store_now() at the start */
	int64_t midnight[C_SE + 1];	  /* today 00:00 in each zone */
	int64_t base[C_SE + 1][CAL_DAYS]; /* 08:00 of each weekday in
					     each country's zone, 0 on
					     Saturdays and Sundays */
	uint32_t busy[N_TERR][DEMO_MAX_REPS][CAL_DAYS]; /* taken quarters */
	uint8_t full[N_TERR][DEMO_MAX_REPS][SPAN__MAX]; /* shortest length
							   that found no room
							   (0: none yet) */
	const char *const *types;    /* configured appointment types (in 'a') */
	const char *const *outcomes; /* configured outcome codes (in 'a') */
	struct arena a;		     /* owned: the code lists */
};

/* Where an appointment may go: days [lo, hi] and a bound on its times. */
struct window {
	enum span span;	   /* which 'full' mark applies */
	int lo;		   /* first day index */
	int hi;		   /* last day index, inclusive */
	int64_t min_start; /* earliest start */
	int64_t max_end;   /* latest end */
};

static const char *const subj_meeting[] = {
    "Årlig gjennomgang av avtalen",  "Oppstartsmøte",
    "Møte om ny rammeavtale",	     "Budsjettmøte for neste år",
    "Presentasjon av nye tjenester", "Gjennomgang av tilbudet",
    "Møte med ny daglig leder",	     "Strategimøte",
    "Forhandling om pris og vilkår", "Kvartalsmøte",
};
static const char *const subj_call[] = {
    "Oppfølging av tilbud",	 "Avklaring av faktura",
    "Kort statusoppdatering",	 "Fornyelse av avtalen",
    "Spørsmål om levering",	 "Ringe om nytt tilbud",
    "Sjekke behov før sesongen", "Bekrefte bestilling",
};
static const char *const subj_demo[] = {
    "Demo av nytt system",	"Demo av rapportmodulen",
    "Demo for nye brukere",	"Visning av mobilappen",
    "Demo av regnskapskobling", "Prøveperiode: oppstart",
};
static const char *const subj_follow[] = {
    "Oppfølging etter møtet",	 "Oppfølging av bestilling",
    "Svar på spørsmål om pris",	 "Oppfølging etter demo",
    "Oppfølging av reklamasjon", "Status på leveransen",
};
static const char *const subj_service[] = {
    "Årlig service",
    "Servicebesøk: feilretting",
    "Installasjon og opplæring",
    "Kontroll av anlegget",
    "Utskifting av utstyr",
    "Periodisk vedlikehold",
};
static const char *const subj_series[] = {
    "Ukentlig statusmøte",
    "Ukentlig oppfølging av innføringen",
    "Ukentlig opplæring av nye brukere",
    "Ukentlig prosjektmøte",
};

/* One kind of appointment: its type, how long, how they meet. */
struct appt_kind {
	const char *type;	     /* default type code */
	unsigned weight;	     /* share of appointments */
	unsigned quarters[3];	     /* lengths to pick from, 0 = none */
	unsigned phone_pct;	     /* by phone */
	unsigned video_pct;	     /* on video; in person otherwise */
	const char *const *subjects; /* Norwegian subject lines */
	size_t n_subjects;	     /* entries in subjects */
};

#define K(t, w, q1, q2, q3, ph, vi, s)                                         \
	{                                                                      \
		t, w, {q1, q2, q3}, ph, vi, s, ARRAY_LEN(s)                    \
	}
static const struct appt_kind kinds[] = {
    K("meeting", 30, 3, 4, 6, 0, 40, subj_meeting),
    K("call", 25, 2, 2, 3, 85, 15, subj_call),
    K("demo", 15, 4, 4, 6, 0, 60, subj_demo),
    K("follow-up", 20, 2, 3, 3, 50, 30, subj_follow),
    K("service visit", 10, 4, 6, 6, 0, 0, subj_service),
};
#undef K

static const char *const appt_notes[] = {
    "Ta med prisliste og referanser.",
    "Kunden ønsker tilbud innen fredag.",
    "Parkering i bakgården, ring på ved hovedinngangen.",
    "Send agenda på forhånd.",
    "Kontaktpersonen er ny i stillingen.",
    "Kunden har spurt om rabatt ved treårig avtale.",
    "Ta med kontrakten til signering.",
    "Møt i resepsjonen i andre etasje.",
    "Kunden vurderer også en konkurrent.",
    "Gå gjennom åpne saker fra forrige møte.",
};

static const char *const cancel_reasons[] = {
    "Kunden er syk",
    "Kunden ba om å utsette møtet",
    "Kolliderte med et annet møte",
    "Selgeren er på kurs",
    "Flyet ble innstilt på grunn av været",
    "Kunden har ikke tid denne uken",
    "Kontaktpersonen har sluttet",
};

/* Outcome codes of the default list, how often, and what reps write. */
static const struct {
	const char *code;    /* outcome code */
	unsigned weight;     /* relative share */
	const char *note[2]; /* outcome notes */
} outcome_text[] = {
    {"interested",
     25,
     {"Positiv til tilbudet, sender forslag neste uke.",
      "Vil gjerne se en demo for hele avdelingen."}},
    {"not_interested",
     10,
     {"Har nettopp signert med en konkurrent.",
      "Ikke behov det nærmeste året."}},
    {"follow_up",
     25,
     {"Ønsker nytt møte med daglig leder.",
      "Sender oppdatert tilbud, ringer igjen om to uker."}},
    {"order_placed",
     15,
     {"Bestilte ti lisenser og opplæring.", "Signerte treårig avtale."}},
    {"resolved",
     15,
     {"Feilen er rettet, kunden er fornøyd.", "Utstyret er byttet og testet."}},
    {"no_decision",
     10,
     {"Må ta det opp i styret først.",
      "Budsjettet for neste år er ikke klart."}},
};

/* The zone of a country's reps and customers. */
static const char *
zone_of(enum country k)
{
	return locales[k].zone;
}

/* Day index of the instant 'utc' in zone 'k' (rounded down; a day's
 * length differs by an hour around clock changes: callers look at the
 * neighbours too). */
static int
day_of(const struct cal *cal, enum country k, int64_t utc)
{
	int64_t d = utc - cal->midnight[k];

	d = d >= 0 ? d / 86400 : -((-d + 86399) / 86400);
	return (int)(TODAY + d);
}

/* Mark the working time that [start, end) covers for rep (t, r). */
static void
cal_mark_range(struct cal *cal, size_t t, unsigned r, int64_t start,
	       int64_t end)
{
	enum country k = territories[t].country;
	int d0 = day_of(cal, k, start) - 1;
	int d1 = day_of(cal, k, end) + 1;

	for (int d = d0 < 0 ? 0 : d0; d <= d1 && d < CAL_DAYS; d++) {
		int64_t b = cal->base[k][d];
		int64_t lo, hi;
		int64_t q0, q1;

		if (!b)
			continue;
		lo = start > b ? start : b;
		hi = end < b + QUARTERS * QUARTER_S ? end
						    : b + QUARTERS * QUARTER_S;
		if (hi <= lo)
			continue;
		q0 = (lo - b) / QUARTER_S;
		q1 = (hi - b + QUARTER_S - 1) / QUARTER_S;
		for (int64_t q = q0; q < q1; q++)
			cal->busy[t][r][d] |= UINT32_C(1) << q;
	}
}

/* Read the appointments rep (t, r) already holds into its calendar. */
static enum av_err
cal_load_rep(struct run *run, size_t t, unsigned r, struct av_error *err)
{
	struct cal *cal = run->cal;
	enum country k = territories[t].country;
	int64_t id = run->org->reps[t][r];

	for (int d = 0; d < CAL_DAYS; d += LOAD_DAYS) {
		int64_t from =
		    cal->midnight[k] + (int64_t)(d - TODAY) * 86400 - 2 * 3600;
		int64_t to = from + (int64_t)LOAD_DAYS * 86400 + 4 * 3600;
		struct occurrence *occ;
		size_t n;
		enum av_err rc;

		rc = appt_occurrences(run->s, SCOPE_OWNER, id, from, to,
				      OCC_MAX, &run->a, &occ, &n, err);
		if (rc == AV_ETOOBIG) {
			/* a very busy week: count it as full */
			av_error_clear(err);
			for (int i = d; i < d + LOAD_DAYS && i < CAL_DAYS; i++)
				cal->busy[t][r][i] = UINT32_MAX;
			continue;
		}
		if (rc)
			return rc;
		for (size_t i = 0; i < n; i++)
			if (occ[i].appt->status != APPT_CANCELLED)
				cal_mark_range(cal, t, r, occ[i].start_utc,
					       occ[i].end_utc);
		arena_release(&run->a);
	}
	return AV_OK;
}

/* The calendar: working days around today, the code lists, and the time
 * every rep of the organisation already has booked. */
static enum av_err
cal_init(struct run *run, struct av_error *err)
{
	struct cal *cal = xcalloc(1, sizeof(*cal));
	const char **types;
	const char **outcomes;
	enum av_err rc;

	run->cal = cal;
	arena_init(&cal->a, 0);
	cal->now = store_now();
	for (int k = C_NO; k <= C_SE; k++) {
		struct tz_local today;
		int64_t secs;

		if ((rc = tz_utc_to_local(zone_of((enum country)k), cal->now,
					  &today, NULL, err)) ||
		    (rc = tz_day_start(zone_of((enum country)k), today.year,
				       today.month, today.day,
				       &cal->midnight[k], err)))
			return rc;
		today.hour = today.minute = today.second = 0;
		secs = tz_local_seconds(&today);
		for (int d = 0; d < CAL_DAYS; d++) {
			struct tz_local l;

			tz_local_from_seconds(
			    secs + (int64_t)(d - TODAY) * 86400, &l);
			if (tz_weekday(l.year, l.month, l.day) > 5)
				continue;
			l.hour = DAY_START_HOUR;
			rc = tz_local_to_utc(zone_of((enum country)k), &l,
					     &cal->base[k][d], NULL, err);
			if (rc)
				return rc;
		}
	}
	if ((rc = store_code_list(run->s, "appointment_type", &cal->a, &types,
				  err)) ||
	    (rc = store_code_list(run->s, "outcome", &cal->a, &outcomes, err)))
		return rc;
	cal->types = types;
	cal->outcomes = outcomes[0] ? outcomes : appt_default_outcomes;
	for (size_t t = 0; t < N_TERR; t++)
		for (unsigned r = 0; r < run->org->n_reps[t]; r++)
			if ((rc = cal_load_rep(run, t, r, err)))
				return rc;
	return AV_OK;
}

static void
cal_free(struct cal *cal)
{
	if (!cal)
		return;
	arena_release(&cal->a);
	free(cal);
}

static uint32_t
quarter_mask(unsigned q, unsigned len)
{
	return ((UINT32_C(1) << len) - 1) << q;
}

/*
 * A free start quarter for 'len' quarters on day 'd' of rep (t, r) inside
 * 'w', tried from a random place, whole and half hours first; -1 if none.
 */
static int
find_in_day(const struct cal *cal, struct rng *rg, size_t t, unsigned r, int d,
	    unsigned len, const struct window *w)
{
	enum country k = territories[t].country;
	int64_t b = cal->base[k][d];
	uint32_t busy = cal->busy[t][r][d];
	unsigned n = QUARTERS - len + 1;
	unsigned first = rng_below(rg, n);

	if (!b || busy == UINT32_MAX)
		return -1;
	for (unsigned pass = 0; pass < 2; pass++)
		for (unsigned i = 0; i < n; i++) {
			unsigned q = (first + i) % n;
			int64_t start = b + (int64_t)q * QUARTER_S;

			if ((q & 1) != pass || (busy & quarter_mask(q, len)) ||
			    start < w->min_start ||
			    start + (int64_t)len * QUARTER_S > w->max_end)
				continue;
			return (int)q;
		}
	return -1;
}

/* Room for 'len' quarters for rep (t, r) in 'w': a few random days, then
 * every day from a random one. False (and remembered) when there is none. */
static bool
cal_find(struct cal *cal, struct rng *rg, size_t t, unsigned r, unsigned len,
	 const struct window *w, int *day_out, int *q_out)
{
	uint8_t *full = &cal->full[t][r][w->span];
	unsigned span = (unsigned)(w->hi - w->lo + 1);
	unsigned from;

	if (*full && len >= *full)
		return false;
	for (int i = 0; i < DAY_TRIES; i++) {
		int d = w->lo + (int)rng_below(rg, span);
		int q = find_in_day(cal, rg, t, r, d, len, w);

		if (q >= 0) {
			*day_out = d;
			*q_out = q;
			return true;
		}
	}
	from = rng_below(rg, span);
	for (unsigned i = 0; i < span; i++) {
		int d = w->lo + (int)((from + i) % span);
		int q = find_in_day(cal, rg, t, r, d, len, w);

		if (q >= 0) {
			*day_out = d;
			*q_out = q;
			return true;
		}
	}
	*full = (uint8_t)len;
	return false;
}

/* A weekday of the past year and a quarter, ignoring the calendar: for
 * history once a rep's year is full. */
static void
cal_any_past(const struct cal *cal, struct rng *rg, enum country k,
	     unsigned len, int *day_out, int *q_out)
{
	int d = (int)rng_below(rg, TODAY);

	while (!cal->base[k][d])
		d = d + 1 < TODAY ? d + 1 : 0;
	*day_out = d;
	*q_out = (int)rng_below(rg, QUARTERS - len + 1);
}

static const struct appt_kind *
pick_kind(struct rng *rg)
{
	unsigned total = 0;
	unsigned p;

	for (size_t i = 0; i < ARRAY_LEN(kinds); i++)
		total += kinds[i].weight;
	p = rng_below(rg, total);
	for (size_t i = 0; i < ARRAY_LEN(kinds); i++) {
		if (p < kinds[i].weight)
			return &kinds[i];
		p -= kinds[i].weight;
	}
	return &kinds[0];
}

/* The type to store: the kind's own when configured, else the first. */
static const char *
pick_type(const struct cal *cal, const char *want)
{
	if (appt_code_in(cal->types, want) || !cal->types[0])
		return want;
	return cal->types[0];
}

/* An outcome from the configured list, weighted like the default one;
 * 'note_out' gets one of its notes or NULL. */
static const char *
pick_outcome(const struct cal *cal, struct rng *rg, const char **note_out)
{
	unsigned total = 0;
	unsigned p;
	size_t n = 0;

	*note_out = NULL;
	for (; cal->outcomes[n]; n++)
		for (size_t i = 0; i < ARRAY_LEN(outcome_text); i++)
			if (strcmp(cal->outcomes[n], outcome_text[i].code) == 0)
				total += outcome_text[i].weight;
	if (total == 0)
		return cal->outcomes[rng_below(rg, n)];
	p = rng_below(rg, total);
	for (size_t j = 0; j < n; j++)
		for (size_t i = 0; i < ARRAY_LEN(outcome_text); i++) {
			if (strcmp(cal->outcomes[j], outcome_text[i].code) != 0)
				continue;
			if (p < outcome_text[i].weight) {
				if (rng_pct(rg, 50))
					*note_out =
					    PICK(rg, outcome_text[i].note);
				return cal->outcomes[j];
			}
			p -= outcome_text[i].weight;
		}
	return cal->outcomes[0];
}

/* What one customer's appointments share. */
struct appt_ctx {
	const struct customer *c;	/* the stored customer */
	size_t t;			/* its territory */
	unsigned owner;			/* index of its owner in reps[t] */
	const int64_t *contacts;	/* its contacts' ids */
	size_t n_contacts;		/* entries in contacts */
	char location[ADDRESS_MAX_LEN]; /* "street, postcode city" */
	unsigned n;			/* appointments made so far */
};

/* Text an appointment points to until appt_prepare copies it. */
struct gen_appt {
	char uid[96];	/* demo-<seed>-<number>-<n>@avtale */
	char video[64]; /* https://meet.avtale.no/xxxxxxxxxx */
};

static void
appt_location(struct appt_ctx *x)
{
	struct sb b;

	sb_init(&b, x->location, sizeof(x->location));
	for (const char *p = x->c->address ? x->c->address : ""; *p; p++) {
		if (*p == '\n')
			sb_adds(&b, ", ");
		else
			sb_addc(&b, *p);
	}
	if (x->c->postcode || x->c->city)
		sb_adds(&b, ", ");
	if (x->c->postcode) {
		sb_adds(&b, x->c->postcode);
		sb_addc(&b, ' ');
	}
	if (x->c->city)
		sb_adds(&b, x->c->city);
}

/* The fields every generated appointment of 'x' has. */
static void
appt_common(struct run *run, struct rng *rg, struct appt_ctx *x,
	    struct gen_appt *g, struct appointment *p, enum appt_channel ch)
{
	static const char alnum[] = "abcdefghijklmnopqrstuvwxyz0123456789";
	struct sb b;

	p->customer_id = x->c->id;
	p->time_zone = zone_of(territories[x->t].country);
	p->channel = ch;
	if (ch == CHANNEL_VIDEO) {
		sb_init(&b, g->video, sizeof(g->video));
		sb_adds(&b, VIDEO_HOST);
		for (int i = 0; i < 10; i++)
			sb_addc(&b, alnum[rng_below(rg, sizeof(alnum) - 1)]);
		p->video_url = g->video;
	} else if (ch == CHANNEL_IN_PERSON) {
		p->location = x->location;
	}
	if (x->n_contacts && rng_pct(rg, 85))
		p->contact_id = x->contacts[rng_below(rg, x->n_contacts)];
	if (rng_pct(rg, 35))
		p->notes = PICK(rg, appt_notes);
	p->reminder_minutes = rng_pct(rg, 50) ? 15 : rng_pct(rg, 40) ? 60 : -1;
	sb_init(&b, g->uid, sizeof(g->uid));
	sb_adds(&b, "demo-");
	sb_addu(&b, run->opt->seed, 0);
	sb_addc(&b, '-');
	sb_adds(&b, x->c->customer_number);
	sb_addc(&b, '-');
	sb_addu(&b, x->n++, 0);
	sb_adds(&b, "@avtale");
	p->uid = g->uid;
}

static enum appt_channel
pick_channel(struct rng *rg, const struct appt_kind *kd)
{
	unsigned p = rng_below(rg, 100);

	if (p < kd->phone_pct)
		return CHANNEL_PHONE;
	if (p < kd->phone_pct + kd->video_pct)
		return CHANNEL_VIDEO;
	return CHANNEL_IN_PERSON;
}

static enum av_err
appt_store(struct run *run, struct appointment *p, bool series,
	   struct av_error *err)
{
	enum av_err rc;

	if ((rc = appt_prepare(p, run->cal->types, &run->a, err)))
		return rc;
	if (series &&
	    (rc = appt_series_end(p, &run->a, &p->series_end_utc, err)))
		return rc;
	if ((rc = store_appt_insert(run->s, p, run->opt->actor, err)))
		return rc;
	run->batch.rows++;
	run->batch.series += series;
	run->batch.upcoming += p->status == APPT_SCHEDULED;
	return AV_OK;
}

/* One single appointment of customer 'x', upcoming or history. */
static enum av_err
add_single(struct run *run, struct rng *rg, struct appt_ctx *x, bool upcoming,
	   struct av_error *err)
{
	struct cal *cal = run->cal;
	const struct appt_kind *kd = pick_kind(rg);
	unsigned n_len = kd->quarters[2] ? 3 : kd->quarters[1] ? 2 : 1;
	unsigned len = kd->quarters[rng_below(rg, n_len)];
	unsigned nr = run->org->n_reps[x->t];
	unsigned r = x->owner;
	enum country k = territories[x->t].country;
	struct window past = {SPAN_PAST, 0, TODAY, INT64_MIN, cal->now};
	struct window next = {SPAN_NEXT, TODAY, TODAY + NEXT_DAYS,
			      cal->now + QUARTER_S, INT64_MAX};
	struct appointment p = {0};
	struct gen_appt g;
	int d = 0, q = 0;
	bool found = false;

	if (nr > 1 && !rng_pct(rg, OWNER_PCT))
		r = (x->owner + 1 + rng_below(rg, nr - 1)) % nr;
	if (upcoming) {
		/* the chosen rep, else a colleague, else it is history */
		for (unsigned i = 0; i < nr && !found; i++) {
			unsigned rr = (r + i) % nr;

			if (cal_find(cal, rg, x->t, rr, len, &next, &d, &q)) {
				r = rr;
				found = true;
			}
		}
		upcoming = found;
	}
	if (!found && !cal_find(cal, rg, x->t, r, len, &past, &d, &q))
		cal_any_past(cal, rg, k, len, &d, &q);
	cal->busy[x->t][r][d] |= quarter_mask((unsigned)q, len);

	p.owner_id = run->org->reps[x->t][r];
	p.start_utc = cal->base[k][d] + (int64_t)q * QUARTER_S;
	p.end_utc = p.start_utc + (int64_t)len * QUARTER_S;
	p.type = pick_type(cal, kd->type);
	p.subject = kd->subjects[rng_below(rg, kd->n_subjects)];
	appt_common(run, rg, x, &g, &p, pick_channel(rg, kd));
	if (upcoming) {
		p.status = APPT_SCHEDULED;
	} else {
		unsigned s = rng_below(rg, 100);

		if (s < 10) {
			p.status = APPT_CANCELLED;
			p.cancel_reason = PICK(rg, cancel_reasons);
		} else if (s < 15) {
			p.status = APPT_NO_SHOW;
		} else {
			p.status = APPT_COMPLETED;
			p.outcome = pick_outcome(cal, rg, &p.outcome_note);
		}
	}
	return appt_store(run, &p, false, err);
}

/* A weekly series with the owner at one free slot of eight weeks in a
 * row, starting within two weeks; nothing when no such slot is found. */
static enum av_err
add_series(struct run *run, struct rng *rg, struct appt_ctx *x,
	   struct av_error *err)
{
	struct cal *cal = run->cal;
	enum country k = territories[x->t].country;
	unsigned len = 2 + rng_below(rg, 3);
	uint32_t *busy = cal->busy[x->t][x->owner];
	struct appointment p = {0};
	struct gen_appt g;
	int d = -1;
	unsigned q = 0;

	for (int i = 0; i < SERIES_TRIES && d < 0; i++) {
		int day = TODAY + 1 + (int)rng_below(rg, SERIES_FIRST);
		bool free_slot = cal->base[k][day] != 0;

		q = 2 * rng_below(rg, (QUARTERS - len) / 2 + 1);
		for (int w = 0; w < SERIES_WEEKS && free_slot; w++)
			free_slot = !(busy[day + 7 * w] & quarter_mask(q, len));
		if (free_slot)
			d = day;
	}
	if (d < 0)
		return AV_OK;
	for (int w = 0; w < SERIES_WEEKS; w++)
		busy[d + 7 * w] |= quarter_mask(q, len);

	p.owner_id = run->org->reps[x->t][x->owner];
	p.start_utc = cal->base[k][d] + (int64_t)q * QUARTER_S;
	p.end_utc = p.start_utc + (int64_t)len * QUARTER_S;
	p.type = pick_type(cal, rng_pct(rg, 60) ? "meeting" : "follow-up");
	p.subject = PICK(rg, subj_series);
	p.rrule = SERIES_RRULE;
	p.status = APPT_SCHEDULED;
	appt_common(run, rg, x, &g, &p,
		    rng_pct(rg, 70) ? CHANNEL_VIDEO : CHANNEL_PHONE);
	return appt_store(run, &p, true, err);
}

/*
 * The appointments of the run's i-th customer 'c' (territory t, owner
 * reps[t][owner]): 0 to twice the average, about a fifth of them upcoming
 * (a third for prospects, none for former customers), and now and then a
 * weekly series. A stream of its own, so customers stay as they were.
 */
static enum av_err
add_appointments(struct run *run, uint64_t i, size_t t, unsigned owner,
		 const struct customer *c, const int64_t *contacts,
		 size_t n_contacts, struct av_error *err)
{
	struct rng rg = rng_for(run->opt->seed ^ APPT_SEED, i);
	unsigned avg = run->opt->appointments_per_customer;
	unsigned n = rng_below(&rg, 2 * (size_t)avg + 1);
	unsigned next_pct = c->status == CUSTOMER_FORMER     ? 0
			    : c->status == CUSTOMER_PROSPECT ? 30
							     : 18;
	struct appt_ctx x = {0};

	x.c = c;
	x.t = t;
	x.owner = owner;
	x.contacts = contacts;
	x.n_contacts = n_contacts;
	appt_location(&x);
	for (unsigned j = 0; j < n; j++) {
		bool upcoming = rng_pct(&rg, next_pct);
		enum av_err rc = add_single(run, &rg, &x, upcoming, err);

		if (rc)
			return rc;
	}
	if (c->status == CUSTOMER_CUSTOMER && rng_pct(&rg, SERIES_PCT))
		return add_series(run, &rg, &x, err);
	return AV_OK;
}

static enum av_err
add_customer(struct run *run, uint64_t i, struct av_error *err)
{
	const struct demo_options *opt = run->opt;
	struct rng r = rng_for(opt->seed, i);
	struct gen_customer g;
	struct customer c = {0};
	const struct terr_def *td;
	const char *notes;
	unsigned pick = rng_below(&r, 1000);
	int64_t contacts[DEMO_MAX_CONTACTS];
	unsigned owner;
	uint64_t seq;
	size_t t;
	enum av_err rc;

	for (t = 0; t < N_TERR; t++) {
		if (pick < territories[t].weight)
			break;
		pick -= territories[t].weight;
	}
	if (t == N_TERR)
		t = 0;
	td = &territories[t];
	gen_company(&r, td, &g, &c, &notes);
	c.notes = notes;
	c.territory_id = run->org->terr_id[t];
	owner = rng_below(&r, run->org->n_reps[t]);
	c.owner_id = run->org->reps[t][owner];

	if ((rc = take_number(run, g.number, sizeof(g.number), err)))
		return rc;
	c.customer_number = g.number;
	if (i == 0)
		run->first = run->next;
	seq = run->next - DEMO_FIRST_NUMBER;
	gen_company_phone(&r, td, seq, &g, &c, opt->seed);

	if ((rc = customer_prepare(&c, &run->a, err)))
		return rc;
	rc = store_customer_insert(run->s, &c, opt->actor, err);
	if (rc == AV_ECONFLICT && strcmp(err->field, "customer_number") == 0)
		run->conflict = run->next;
	/* demo customers have a history: they were customers before the
	 * demo appointments of the past year, so reports count them */
	if (!rc)
		rc = store_customer_set_since(
		    run->s, c.id, store_now() - DEMO_HISTORY_S, err);
	if (rc)
		return rc;
	run->next++;
	for (unsigned j = 0; j < opt->contacts_per_customer; j++) {
		struct gen_contact p;
		struct contact ct = {0};

		gen_contact(&r, td, &g, seq, j, opt->seed, &p, &ct);
		ct.customer_id = c.id;
		if ((rc = contact_prepare(&ct, c.country, &run->a, err)) ||
		    (rc = store_contact_insert(run->s, &ct, opt->actor, err)))
			return rc;
		contacts[j] = ct.id;
	}
	if (run->cal)
		return add_appointments(run, i, t, owner, &c, contacts,
					opt->contacts_per_customer, err);
	return AV_OK;
}

/* One transaction: customers [from, from + n) of the run. */
static enum av_err
add_batch(struct run *run, uint64_t from, uint64_t n, struct av_error *err)
{
	char next[24];
	enum av_err rc;

	run->batch = (struct appt_count){0};
	if ((rc = store_begin(run->s, err)))
		return rc;
	for (uint64_t i = from; i < from + n; i++)
		if ((rc = add_customer(run, i, err)))
			goto fail;
	number_text(next, sizeof(next), run->next);
	if ((rc = store_setting_set(run->s, NEXT_KEY, next, err)))
		goto fail;
	return store_commit(run->s, err);
fail:
	store_rollback(run->s);
	return rc;
}

void
demo_options_init(struct demo_options *opt)
{
	*opt = (struct demo_options){0};
	opt->customers = DEMO_DEFAULT_CUSTOMERS;
	opt->seed = 1;
	opt->reps_per_territory = DEMO_DEFAULT_REPS;
	opt->contacts_per_customer = DEMO_DEFAULT_CONTACTS;
	opt->appointments_per_customer = DEMO_DEFAULT_APPOINTMENTS;
}

static enum av_err
check_options(const struct demo_options *opt, struct av_error *err)
{
	if (opt->customers > DEMO_MAX_CUSTOMERS)
		return av_field_errorf(err, AV_EINVAL, "customers",
				       "'customers' must be at most %d",
				       DEMO_MAX_CUSTOMERS);
	if (opt->reps_per_territory < 1 ||
	    opt->reps_per_territory > DEMO_MAX_REPS)
		return av_field_errorf(err, AV_EINVAL, "reps",
				       "'reps' must be 1 to %d", DEMO_MAX_REPS);
	if (opt->contacts_per_customer > DEMO_MAX_CONTACTS)
		return av_field_errorf(err, AV_EINVAL, "contacts",
				       "'contacts' must be 0 to %d",
				       DEMO_MAX_CONTACTS);
	if (opt->appointments_per_customer > DEMO_MAX_APPOINTMENTS)
		return av_field_errorf(err, AV_EINVAL, "appointments",
				       "'appointments' must be 0 to %d",
				       DEMO_MAX_APPOINTMENTS);
	return AV_OK;
}

enum av_err
demo_generate(struct store *s, const struct demo_options *opt,
	      struct demo_report *out, struct av_error *err)
{
	struct run run = {0};
	double start = now_seconds();
	uint64_t done = 0;
	unsigned conflicts = 0;
	enum av_err rc;

	*out = (struct demo_report){0};
	if ((rc = check_options(opt, err)))
		return rc;
	run.s = s;
	run.opt = opt;
	run.rep = out;
	run.org = xcalloc(1, sizeof(*run.org));
	arena_init(&run.a, ARENA_BLOCK);
	rc = org_build(&run, err);
	if (!rc)
		rc = load_next(&run, err);
	if (!rc && opt->appointments_per_customer && opt->customers)
		rc = cal_init(&run, err);
	arena_release(&run.a);
	while (!rc && done < opt->customers) {
		uint64_t n = opt->customers - done;
		uint64_t next = run.next;

		if (n > DEMO_BATCH)
			n = DEMO_BATCH;
		run.conflict = 0;
		rc = add_batch(&run, done, n, err);
		arena_release(&run.a);
		if (rc == AV_ECONFLICT && run.conflict &&
		    ++conflicts < MAX_CONFLICTS) {
			/* a deleted customer keeps its number: redo the
			 * batch after it */
			run.next = run.conflict + 1;
			av_error_clear(err);
			rc = AV_OK;
			continue;
		}
		if (rc) {
			run.next = next;
			break;
		}
		done += n;
		out->appointments += run.batch.rows;
		out->series += run.batch.series;
		out->upcoming += run.batch.upcoming;
		out->customers = done;
		out->contacts = done * opt->contacts_per_customer;
		number_text(out->first_number, sizeof(out->first_number),
			    run.first);
		number_text(out->last_number, sizeof(out->last_number),
			    run.next - 1);
		if (opt->progress)
			opt->progress(done, opt->customers, opt->progress_ctx);
	}
	arena_release(&run.a);
	cal_free(run.cal);
	free(run.org);
	out->seconds = now_seconds() - start;
	return rc;
}
