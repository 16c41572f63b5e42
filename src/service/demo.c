/* SPDX-License-Identifier: MIT */
/*
 * Demo data: an invented sales organisation in Norway (and a little of
 * Sweden). Names, streets and phone numbers come from the tables below,
 * picked by a splitmix64 generator seeded per customer from (seed, index),
 * so output is the same on every machine and independent of the database.
 * Text is built in fixed stack buffers; customer_prepare/contact_prepare
 * copy it into one arena per batch, released after each commit.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/str.h"
#include "core/xalloc.h"
#include "domain/customer.h"
#include "service/demo.h"

#include "core/banned.h"

#define ARRAY_LEN(a)  (sizeof(a) / sizeof((a)[0]))
#define PICK(r, a)    ((a)[rng_below((r), ARRAY_LEN(a))])
#define DEMO_DOMAIN   "demo.avtale.no"
#define ORG_SEED      UINT64_C(0x417674616c65) /* "Avtale" */
#define NEXT_KEY      "demo.next_number"
#define MAX_CONFLICTS 1000
#define ARENA_BLOCK   ((size_t)256 * 1024)

/* ---- the generator ---- */

struct rng {
	uint64_t s; /* splitmix64 state */
};

static uint64_t
mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

static uint64_t
rng_next(struct rng *r)
{
	r->s += UINT64_C(0x9e3779b97f4a7c15);
	return mix64(r->s);
}

/* A stream of its own for item 'i' of the run seeded with 'seed'. */
static struct rng
rng_for(uint64_t seed, uint64_t i)
{
	struct rng r = {mix64(seed ^ mix64(i + UINT64_C(0x632be59bd9b4e019)))};

	return r;
}

/* Uniform in [0, n) for n < 2^32 (multiply-shift, no modulo bias). */
static uint32_t
rng_below(struct rng *r, size_t n)
{
	return (uint32_t)(((rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

/* True with probability pct/100. */
static bool
rng_pct(struct rng *r, unsigned pct)
{
	return rng_below(r, 100) < pct;
}

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
			rk = mix64(rk);
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

struct run {
	struct store *s;		/* borrowed */
	const struct demo_options *opt; /* borrowed */
	struct demo_report *rep;	/* borrowed: the caller's report */
	struct org *org;		/* owned by demo_generate */
	struct arena a;			/* owned: one batch's records */
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
	c.owner_id = run->org->reps[t][rng_below(&r, run->org->n_reps[t])];

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
	}
	return AV_OK;
}

/* One transaction: customers [from, from + n) of the run. */
static enum av_err
add_batch(struct run *run, uint64_t from, uint64_t n, struct av_error *err)
{
	char next[24];
	enum av_err rc;

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
	if (opt->print_passwords)
		return av_errorf(err, AV_EUNSUPPORTED,
				 "demo rep passwords are not supported yet");
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
	free(run.org);
	out->seconds = now_seconds() - start;
	return rc;
}
