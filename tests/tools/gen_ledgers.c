/*
 * gen_ledgers: write N generated ledgers (fixed seed, realistic mix) into
 * DIR as student-00000.json ...; with ROSTER, also a class list naming
 * them, with names in several scripts (a fixed mix: six in ten Latin,
 * then Japanese, Chinese, Korean, Arabic, Hindi, Russian, Greek, Thai).
 * Usage: gen_ledgers N DIR [ROSTER.csv].
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ledgergen.h"
#include "base/outfile.h"

struct script {
	const char *lang;       /* the roster's lang column, or "" */
	const char *family[8], *given[8];
	const char *sep;        /* between family and given name */
};

/* Ten in a cycle: the first six Latin (some accented), then one of each other. */
static const struct script scripts[] = {
	{"", {"Okafor", "Durand", "Lee", "García", "Müller", "Nowak", "Silva", "Kowalski"},
	    {"Chidi", "Zoë", "Sam", "José", "Jürgen", "Ada", "Inês", "Marta"}, " "},
	{"ja", {"渡辺", "佐藤", "鈴木", "高橋", "田中", "伊藤", "山本", "中村"},
	    {"直美", "健太", "はなこ", "翔太", "陽菜", "大輝", "みさき", "拓海"}, ""},
	{"zh-Hans", {"王", "李", "张", "刘", "陈", "杨", "黄", "赵"},
	    {"小明", "华", "伟", "芳", "娜", "秀英", "敏", "静"}, ""},
	{"ko", {"김", "이", "박", "최", "정", "강", "조", "윤"},
	    {"민준", "서연", "도윤", "하은", "시우", "지유", "주원", "수아"}, ""},
	{"", {"العلي", "حداد", "منصور", "خوري", "سعيد", "ناصر", "يوسف", "عباس"},
	    {"ليلى", "عمر", "فاطمة", "كريم", "نور", "سامي", "هدى", "زياد"}, " "},
	{"", {"शर्मा", "वर्मा", "गुप्ता", "सिंह", "पटेल", "मेहता", "जोशी", "राव"},
	    {"अनन्या", "राहुल", "प्रिया", "अर्जुन", "दीपिका", "विक्रम", "स्नेहा", "क्षितिज"}, " "},
	{"", {"Иванов", "Смирнова", "Кузнецов", "Попова", "Соколов", "Лебедева", "Козлов", "Новикова"},
	    {"Алексей", "Мария", "Дмитрий", "Анна", "Сергей", "Ольга", "Иван", "Елена"}, " "},
	{"", {"Παπαδόπουλος", "Νικολάου", "Γεωργίου", "Οικονόμου", "Δημητρίου", "Ιωάννου",
	    "Κωνσταντίνου", "Μακρής"},
	    {"Ελένη", "Γιώργος", "Μαρία", "Νίκος", "Σοφία", "Δημήτρης", "Κατερίνα", "Άννα"}, " "},
	{"", {"สมบูรณ์", "ศรีสุข", "วงศ์ใหญ่", "แก้วมณี", "ทองดี", "บุญมา", "จันทร์เพ็ญ", "รุ่งเรือง"},
	    {"สมชาย", "สุดา", "ประเสริฐ", "มาลี", "วิชัย", "นภา", "อนันต์", "กานดา"}, " "},
};

static uint64_t name_state = 0x2545f4914f6cdd1dull;    /* names' own fixed seed */

static unsigned
name_rnd(unsigned n)
{
	return rnd_of(&name_state, n);
}

/* The roster row of student i: a name unique in the class (its number last). */
static void
roster_row(struct buf *b, long i)
{
	static const int cycle[10] = {0, 0, 0, 0, 0, 0, 1, 2, 3, -1};
	int k = cycle[i % 10];
	const struct script *s = &scripts[k < 0 ? 4 + (int)(i / 10 % 5) : k];
	const char *fam = s->family[name_rnd(8)], *giv = s->given[name_rnd(8)];
	bool family_first = s->sep[0] == '\0';        /* Chinese, Japanese, Korean */

	/* the tenth is Arabic, Hindi, Russian, Greek and Thai in turn */
	buf_printf(b, "s%05ld,%s%s%s %ld,%c,student-%05ld.json,%s\r\n", i,
	    family_first ? fam : giv, s->sep, family_first ? giv : fam, i, 'A' + (int)(i % 3), i,
	    s->lang);
}

int
main(int argc, char **argv)
{
	struct diag_list dl;
	struct buf roster;
	long n;

	if ((argc != 3 && argc != 4) || (n = strtol(argv[1], NULL, 10)) <= 0) {
		fprintf(stderr, "usage: gen_ledgers N DIR [ROSTER.csv]\n");
		return 2;
	}
	diag_init(&dl);
	buf_init(&roster);
	buf_puts(&roster, "id,name,section,ledger,lang\r\n");
	if (outfile_mkdirs(argv[2], &dl) != 0)
		goto fail;
	for (long i = 0; i < n; i++) {
		char *text = make_ledger();
		char *path = xasprintf("%s/student-%05ld.json", argv[2], i);
		int rc = outfile_write(path, text, strlen(text), &dl);
		free(text);
		free(path);
		if (rc != 0)
			goto fail;
		roster_row(&roster, i);
	}
	if (argc == 4 && outfile_write(argv[3], roster.data, roster.len, &dl) != 0)
		goto fail;
	buf_free(&roster);
	diag_free(&dl);
	return 0;
fail:
	for (size_t i = 0; i < dl.n; i++)
		fprintf(stderr, "gen_ledgers: %s: %s\n", dl.items[i].where ? dl.items[i].where : "",
		    dl.items[i].msg);
	buf_free(&roster);
	diag_free(&dl);
	return 1;
}
