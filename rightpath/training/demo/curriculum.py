"""The starter curriculum: "DRR foundations for front-line practitioners", a trainer track with one
module per DRIVE pillar and one on women, minors and returnee families. Each module has two lessons
and a three-question quiz; the pre-test and post-test draw one question from every module (the same
item pool). Texts are in English, Albanian, Bosnian and Macedonian.

Lesson texts use the lesson syntax of ``rightpath.training.richtext``.
"""

from __future__ import annotations

from typing import Any


def t(en: str, sq: str, bs: str, mk: str) -> dict[str, str]:
    return {"en": en, "sq": sq, "bs": bs, "mk": mk}


TRUE = t("True", "E vërtetë", "Tačno", "Точно")
FALSE = t("False", "E gabuar", "Netačno", "Неточно")

COURSE_CODE = "5f0c2a52-7d64-4e59-9a2b-1d6c3b0e2f71"
COURSE = {
    "title": t(
        "DRR foundations for front-line practitioners",
        "Bazat e DRR për praktikantët në vijën e parë",
        "Osnove DRR-a za praktičare na prvoj liniji",
        "Основи на DRR за практичари од првата линија",
    ),
    "summary": t(
        "A train-the-trainer course on disengagement, rehabilitation and reintegration along DRIVE's six pillars. "
        "Completing it makes you a trainer who can run the course's in-person sessions.",
        "Kurs për trajnimin e trajnerëve mbi shkëputjen, rehabilitimin dhe riintegrimin sipas gjashtë shtyllave të DRIVE. "
        "Përfundimi i tij ju bën trajner që mund të zhvillojë seancat e kursit me prani fizike.",
        "Kurs za obuku trenera o odvajanju, rehabilitaciji i reintegraciji po šest stubova projekta DRIVE. "
        "Kada ga završite, postajete trener koji može voditi sesije uživo ovog kursa.",
        "Курс за обука на обучувачи за оддалечување, рехабилитација и реинтеграција според шесте столба на DRIVE. "
        "Со завршување на курсот станувате обучувач кој може да води сесии во живо.",
    ),
}

PRE_TEST_TITLE = t("Pre-test", "Testi paraprak", "Početni test", "Почетен тест")
POST_TEST_TITLE = t("Post-test", "Testi përfundimtar", "Završni test", "Завршен тест")
QUIZ_TITLE = t("Module quiz", "Kuizi i modulit", "Kviz modula", "Квиз за модулот")

MODULES: list[dict[str, Any]] = [
    {
        "pillar": "coordination",
        "title": t(
            "Inter-institutional coordination",
            "Koordinimi ndërinstitucional",
            "Međuinstitucionalna koordinacija",
            "Меѓуинституционална координација",
        ),
        "lessons": [
            {
                "title": t(
                    "Why DRR needs more than one institution",
                    "Pse DRR ka nevojë për më shumë se një institucion",
                    "Zašto DRR treba više od jedne institucije",
                    "Зошто на DRR му треба повеќе од една институција",
                ),
                "body": t(
                    "No single service holds everything a person needs to leave violent extremism behind.\n\n"
                    "## Who takes part\n- prison and probation services\n- centres for social work, health and education\n"
                    "- employment services and the police liaison unit\n- religious communities and civil-society organisations\n\n"
                    "Good coordination names **one lead institution** for each case, sets roles in writing and meets "
                    "regularly in a local referral mechanism or case conference.",
                    "Asnjë shërbim i vetëm nuk ka gjithçka që i duhet një personi për të lënë pas ekstremizmin e dhunshëm.\n\n"
                    "## Kush merr pjesë\n- shërbimet e burgjeve dhe të provës\n- qendrat për punë sociale, shëndetësia dhe arsimi\n"
                    "- shërbimet e punësimit dhe njësia ndërlidhëse e policisë\n- bashkësitë fetare dhe organizatat e shoqërisë civile\n\n"
                    "Koordinimi i mirë cakton **një institucion udhëheqës** për çdo rast, i përcakton rolet me shkrim dhe "
                    "takohet rregullisht në një mekanizëm lokal referimi ose konferencë rasti.",
                    "Nijedna služba sama nema sve što je osobi potrebno da ostavi nasilni ekstremizam iza sebe.\n\n"
                    "## Ko učestvuje\n- zatvorske i probacijske službe\n- centri za socijalni rad, zdravstvo i obrazovanje\n"
                    "- službe za zapošljavanje i policijska jedinica za vezu\n- vjerske zajednice i organizacije civilnog društva\n\n"
                    "Dobra koordinacija za svaki slučaj određuje **jednu vodeću instituciju**, pismeno utvrđuje uloge i "
                    "redovno se sastaje u lokalnom mehanizmu upućivanja ili na konferenciji slučaja.",
                    "Ниту една служба сама нема сè што му е потребно на човекот да го остави насилниот екстремизам зад себе.\n\n"
                    "## Кој учествува\n- затворските и пробациските служби\n- центрите за социјална работа, здравството и образованието\n"
                    "- службите за вработување и полициската единица за врска\n- верските заедници и граѓанските организации\n\n"
                    "Добрата координација определува **една водечка институција** за секој случај, ги утврдува улогите "
                    "писмено и редовно се состанува во локален механизам за упатување или на конференција за случај.",
                ),
            },
            {
                "title": t(
                    "Sharing information lawfully",
                    "Ndarja e informacionit në mënyrë të ligjshme",
                    "Zakonita razmjena informacija",
                    "Законска размена на информации",
                ),
                "body": t(
                    "Information about a person in DRR is sensitive: beliefs, health and criminal records.\n\n"
                    "1. Share only with a **legal basis** and a clear purpose.\n2. Share the minimum the other service needs.\n"
                    "3. Put regular sharing in a written agreement between the institutions.\n4. Record every disclosure: what, to whom, why.\n\n"
                    "> Sharing too little can cost a life; sharing too much breaks trust and the law.",
                    "Informacioni për një person në DRR është i ndjeshëm: besimet, shëndeti dhe dosjet penale.\n\n"
                    "1. Ndani vetëm me **bazë ligjore** dhe qëllim të qartë.\n2. Ndani minimumin që i nevojitet shërbimit tjetër.\n"
                    "3. Ndarjen e rregullt vendoseni në një marrëveshje me shkrim mes institucioneve.\n4. Regjistroni çdo zbulim: çfarë, kujt, pse.\n\n"
                    "> Ndarja e pakët mund të kushtojë një jetë; ndarja e tepërt prish besimin dhe ligjin.",
                    "Informacije o osobi u DRR-u su osjetljive: uvjerenja, zdravlje i krivična evidencija.\n\n"
                    "1. Dijelite samo uz **pravni osnov** i jasnu svrhu.\n2. Dijelite najmanje što drugoj službi treba.\n"
                    "3. Redovnu razmjenu uredite pisanim sporazumom između institucija.\n4. Evidentirajte svako otkrivanje: šta, kome, zašto.\n\n"
                    "> Premalo podijeljenih informacija može koštati život; previše narušava povjerenje i zakon.",
                    "Информациите за лице во DRR се чувствителни: уверувања, здравје и казнена евиденција.\n\n"
                    "1. Споделувајте само со **правна основа** и јасна цел.\n2. Споделувајте го минимумот што ѝ треба на другата служба.\n"
                    "3. Редовното споделување уредете го со писмен договор меѓу институциите.\n4. Евидентирајте секое откривање: што, кому, зошто.\n\n"
                    "> Премалку споделено може да чини живот; премногу споделено ја крши довербата и законот.",
                ),
            },
        ],
        "questions": [
            {
                "type": "single",
                "prompt": t(
                    "What should regular sharing of case information between two institutions rest on?",
                    "Mbi çfarë duhet të mbështetet ndarja e rregullt e informacionit të rastit mes dy institucioneve?",
                    "Na čemu treba da počiva redovna razmjena informacija o slučaju između dvije institucije?",
                    "На што треба да се темели редовното споделување информации за случај меѓу две институции?",
                ),
                "choices": [
                    (
                        t(
                            "A legal basis and a written agreement on its purpose",
                            "Një bazë ligjore dhe një marrëveshje me shkrim për qëllimin",
                            "Pravni osnov i pisani sporazum o svrsi",
                            "Правна основа и писмен договор за целта",
                        ),
                        True,
                    ),
                    (
                        t(
                            "A phone call between colleagues who know each other",
                            "Një telefonatë mes kolegëve që njihen",
                            "Telefonski poziv između kolega koji se poznaju",
                            "Телефонски разговор меѓу колеги што се познаваат",
                        ),
                        False,
                    ),
                    (
                        t(
                            "A request from a journalist",
                            "Një kërkesë nga një gazetar",
                            "Zahtjev novinara",
                            "Барање од новинар",
                        ),
                        False,
                    ),
                ],
            },
            {
                "type": "true_false",
                "prompt": t(
                    "A multi-agency case conference removes the need for a lead institution.",
                    "Konferenca shumëagjencore e rastit e heq nevojën për institucion udhëheqës.",
                    "Multiagencijska konferencija slučaja uklanja potrebu za vodećom institucijom.",
                    "Повеќеагенциската конференција за случај ја отстранува потребата од водечка институција.",
                ),
                "choices": [(TRUE, False), (FALSE, True)],
            },
            {
                "type": "multiple",
                "prompt": t(
                    "Who typically takes part in a local referral mechanism?",
                    "Kush merr pjesë zakonisht në një mekanizëm lokal referimi?",
                    "Ko obično učestvuje u lokalnom mehanizmu upućivanja?",
                    "Кој обично учествува во локален механизам за упатување?",
                ),
                "choices": [
                    (
                        t(
                            "The centre for social work",
                            "Qendra për punë sociale",
                            "Centar za socijalni rad",
                            "Центарот за социјална работа",
                        ),
                        True,
                    ),
                    (
                        t(
                            "The police liaison officer",
                            "Zyrtari ndërlidhës i policisë",
                            "Policijski službenik za vezu",
                            "Полицискиот службеник за врска",
                        ),
                        True,
                    ),
                    (t("Schools", "Shkollat", "Škole", "Училиштата"), True),
                    (t("The person's neighbours", "Fqinjët e personit", "Komšije osobe", "Соседите на лицето"), False),
                ],
            },
        ],
    },
    {
        "pillar": "risk_assessment",
        "title": t(
            "Risk assessment tools",
            "Instrumentet e vlerësimit të rrezikut",
            "Alati za procjenu rizika",
            "Алатки за проценка на ризик",
        ),
        "lessons": [
            {
                "title": t(
                    "Structured professional judgement",
                    "Gjykimi profesional i strukturuar",
                    "Strukturirana profesionalna procjena",
                    "Структурирана професионална проценка",
                ),
                "body": t(
                    "DRR tools such as VERA-2R or ERG22+ follow **structured professional judgement** (SPJ).\n\n"
                    "- The tool lists factors known from research.\n- The trained professional rates them from evidence in the file.\n"
                    "- The professional writes a reasoned judgement: no score decides on its own.\n\n"
                    "Only staff trained in a licensed tool should use it, and the reasons must be recorded so others can follow them.",
                    "Instrumentet e DRR si VERA-2R ose ERG22+ ndjekin **gjykimin profesional të strukturuar** (SPJ).\n\n"
                    "- Instrumenti rendit faktorët e njohur nga kërkimet.\n- Profesionisti i trajnuar i vlerëson ata nga provat në dosje.\n"
                    "- Profesionisti shkruan një gjykim të arsyetuar: asnjë pikë nuk vendos vetë.\n\n"
                    "Vetëm stafi i trajnuar për një instrument të licencuar duhet ta përdorë atë, dhe arsyet duhet të regjistrohen që t'i ndjekin të tjerët.",
                    "DRR alati poput VERA-2R ili ERG22+ slijede **strukturiranu profesionalnu procjenu** (SPJ).\n\n"
                    "- Alat navodi faktore poznate iz istraživanja.\n- Obučeni profesionalac ih ocjenjuje na osnovu dokaza iz spisa.\n"
                    "- Profesionalac piše obrazloženu procjenu: nijedan bod ne odlučuje sam.\n\n"
                    "Licencirani alat smije koristiti samo osoblje obučeno za njega, a razlozi se moraju zapisati da ih drugi mogu pratiti.",
                    "DRR-алатките како VERA-2R или ERG22+ се засноваат на **структурирана професионална проценка** (SPJ).\n\n"
                    "- Алатката ги наведува факторите познати од истражувањата.\n- Обучениот професионалец ги оценува според доказите во досието.\n"
                    "- Професионалецот пишува образложена проценка: ниеден бод не одлучува сам.\n\n"
                    "Лиценцирана алатка смее да користи само персонал обучен за неа, а причините мора да се запишат за да можат другите да ги следат.",
                ),
            },
            {
                "title": t(
                    "Assessing over time",
                    "Vlerësimi me kalimin e kohës",
                    "Procjena kroz vrijeme",
                    "Проценка низ времето",
                ),
                "body": t(
                    "Risk and needs change. Reassess at every turning point:\n\n"
                    "1. after intake and at sentence milestones\n2. before release and at the hand-over to probation\n3. after a crisis or a major life change\n\n"
                    "Look for **protective factors** too, such as family ties, work and new friendships, and watch for your own bias. "
                    "When police, prison and probation use the same tool, they speak the same language about a person.",
                    "Rreziku dhe nevojat ndryshojnë. Rivlerësoni në çdo pikë kthese:\n\n"
                    "1. pas pranimit dhe në etapat e dënimit\n2. para lirimit dhe në dorëzimin te shërbimi i provës\n3. pas një krize ose ndryshimi të madh në jetë\n\n"
                    "Kërkoni edhe **faktorët mbrojtës**, si lidhjet familjare, puna dhe miqësitë e reja, dhe kini kujdes nga paragjykimet tuaja. "
                    "Kur policia, burgu dhe prova përdorin të njëjtin instrument, ata flasin të njëjtën gjuhë për personin.",
                    "Rizik i potrebe se mijenjaju. Ponovite procjenu na svakoj prekretnici:\n\n"
                    "1. nakon prijema i u ključnim fazama kazne\n2. prije otpusta i pri predaji probaciji\n3. nakon krize ili velike životne promjene\n\n"
                    "Tražite i **zaštitne faktore**, poput porodičnih veza, posla i novih prijateljstava, i pazite na vlastite predrasude. "
                    "Kada policija, zatvor i probacija koriste isti alat, govore istim jezikom o osobi.",
                    "Ризикот и потребите се менуваат. Повторувајте ја проценката на секоја пресвртница:\n\n"
                    "1. по приемот и во клучните фази од казната\n2. пред отпуштањето и при предавањето на пробацијата\n3. по криза или голема животна промена\n\n"
                    "Барајте и **заштитни фактори**, како семејните врски, работата и новите пријателства, и внимавајте на сопствените предрасуди. "
                    "Кога полицијата, затворот и пробацијата користат иста алатка, зборуваат ист јазик за лицето.",
                ),
            },
        ],
        "questions": [
            {
                "type": "single",
                "prompt": t(
                    "In structured professional judgement, who makes the final judgement about risk?",
                    "Në gjykimin profesional të strukturuar, kush e jep gjykimin përfundimtar për rrezikun?",
                    "Ko u strukturiranoj profesionalnoj procjeni donosi konačnu procjenu rizika?",
                    "Кој во структурираната професионална проценка ја донесува конечната проценка на ризикот?",
                ),
                "choices": [
                    (
                        t(
                            "The trained professional, giving reasons",
                            "Profesionisti i trajnuar, me arsyetim",
                            "Obučeni profesionalac, uz obrazloženje",
                            "Обучениот професионалец, со образложение",
                        ),
                        True,
                    ),
                    (
                        t(
                            "The software, from the total score",
                            "Programi kompjuterik, nga pikët totale",
                            "Softver, na osnovu ukupnog broja bodova",
                            "Софтверот, од вкупниот број бодови",
                        ),
                        False,
                    ),
                    (
                        t(
                            "The person assessed",
                            "Personi që vlerësohet",
                            "Osoba koja se procjenjuje",
                            "Лицето што се проценува",
                        ),
                        False,
                    ),
                ],
            },
            {
                "type": "true_false",
                "prompt": t(
                    "A risk assessment made at intake stays valid until release.",
                    "Vlerësimi i rrezikut i bërë në pranim mbetet i vlefshëm deri në lirim.",
                    "Procjena rizika urađena pri prijemu važi do otpusta.",
                    "Проценката на ризик направена при приемот важи до отпуштањето.",
                ),
                "choices": [(TRUE, False), (FALSE, True)],
            },
            {
                "type": "multiple",
                "prompt": t(
                    "Which of these are protective factors?",
                    "Cilët nga këta janë faktorë mbrojtës?",
                    "Koji od ovih su zaštitni faktori?",
                    "Кои од овие се заштитни фактори?",
                ),
                "choices": [
                    (
                        t(
                            "Stable family ties",
                            "Lidhje të qëndrueshme familjare",
                            "Stabilne porodične veze",
                            "Стабилни семејни врски",
                        ),
                        True,
                    ),
                    (
                        t("Work or education", "Puna ose arsimimi", "Posao ili obrazovanje", "Работа или образование"),
                        True,
                    ),
                    (t("Social isolation", "Izolimi shoqëror", "Društvena izolacija", "Општествена изолација"), False),
                    (
                        t(
                            "Contact with extremist networks",
                            "Kontakti me rrjete ekstremiste",
                            "Kontakt s ekstremističkim mrežama",
                            "Контакт со екстремистички мрежи",
                        ),
                        False,
                    ),
                ],
            },
        ],
    },
    {
        "pillar": "prison",
        "title": t("Prison-based DRR", "DRR në burg", "DRR u zatvoru", "DRR во затвор"),
        "lessons": [
            {
                "title": t(
                    "Starting early in prison",
                    "Fillimi i hershëm në burg",
                    "Rani početak u zatvoru",
                    "Ран почеток во затвор",
                ),
                "body": t(
                    "DRR should start on the first day of a sentence, not in its last month.\n\n"
                    "- Write an **individual plan** soon after intake, from an assessment of needs and risk.\n"
                    "- Bring in psychologists, social workers, educators and, where the person wishes, a religious counsellor.\n"
                    "- Weigh where the person is housed: separation limits recruitment, dispersal avoids isolation; review the choice.\n\n"
                    "Education and vocational training give structure and a reason to plan for life outside.",
                    "DRR duhet të fillojë në ditën e parë të dënimit, jo në muajin e fundit.\n\n"
                    "- Shkruani një **plan individual** menjëherë pas pranimit, nga vlerësimi i nevojave dhe rrezikut.\n"
                    "- Përfshini psikologë, punonjës socialë, edukatorë dhe, nëse personi dëshiron, një këshilltar fetar.\n"
                    "- Peshoni ku strehohet personi: ndarja kufizon rekrutimin, shpërndarja shmang izolimin; rishikoni zgjedhjen.\n\n"
                    "Arsimi dhe aftësimi profesional japin strukturë dhe një arsye për të planifikuar jetën jashtë.",
                    "DRR treba početi prvog dana kazne, a ne u posljednjem mjesecu.\n\n"
                    "- Izradite **individualni plan** ubrzo nakon prijema, na osnovu procjene potreba i rizika.\n"
                    "- Uključite psihologe, socijalne radnike, edukatore i, ako osoba želi, vjerskog savjetnika.\n"
                    "- Odvagnite gdje je osoba smještena: odvajanje ograničava regrutaciju, raspoređivanje izbjegava izolaciju; preispitajte izbor.\n\n"
                    "Obrazovanje i stručna obuka daju strukturu i razlog da se planira život na slobodi.",
                    "DRR треба да започне првиот ден од казната, а не во последниот месец.\n\n"
                    "- Изработете **индивидуален план** наскоро по приемот, врз основа на проценка на потребите и ризикот.\n"
                    "- Вклучете психолози, социјални работници, воспитувачи и, ако лицето сака, верски советник.\n"
                    "- Проценете каде е сместено лицето: одвојувањето го ограничува регрутирањето, распоредувањето ја избегнува изолацијата; преиспитајте го изборот.\n\n"
                    "Образованието и стручната обука даваат структура и причина да се планира животот надвор.",
                ),
            },
            {
                "title": t(
                    "Preparing for release", "Përgatitja për lirim", "Priprema za otpust", "Подготовка за отпуштање"
                ),
                "body": t(
                    "Release is a moment of high risk and high opportunity.\n\n"
                    "1. Start release planning **months before** the date.\n2. Check identity documents, housing, income and health care.\n"
                    "3. Involve the family where that is safe and wanted.\n4. Hand the plan, its progress and the latest assessment to probation in person.\n\n"
                    "A release without a plan leaves the person alone exactly when old networks call.",
                    "Lirimi është moment me rrezik të lartë dhe mundësi të mëdha.\n\n"
                    "1. Filloni planifikimin e lirimit **muaj përpara** datës.\n2. Kontrolloni dokumentet e identitetit, strehimin, të ardhurat dhe kujdesin shëndetësor.\n"
                    "3. Përfshini familjen kur kjo është e sigurt dhe e dëshiruar.\n4. Dorëzojani planin, përparimin dhe vlerësimin e fundit shërbimit të provës personalisht.\n\n"
                    "Një lirim pa plan e lë personin vetëm pikërisht kur thërrasin rrjetet e vjetra.",
                    "Otpust je trenutak visokog rizika i velike prilike.\n\n"
                    "1. Počnite planiranje otpusta **mjesecima prije** datuma.\n2. Provjerite lične dokumente, smještaj, prihode i zdravstvenu zaštitu.\n"
                    "3. Uključite porodicu kada je to sigurno i željeno.\n4. Predajte plan, napredak i posljednju procjenu probaciji lično.\n\n"
                    "Otpust bez plana ostavlja osobu samu upravo kada je stare mreže zovu.",
                    "Отпуштањето е момент на висок ризик и голема можност.\n\n"
                    "1. Започнете го планирањето на отпуштањето **месеци пред** датумот.\n2. Проверете ги личните документи, сместувањето, приходите и здравствената заштита.\n"
                    "3. Вклучете го семејството кога тоа е безбедно и посакувано.\n4. Предајте ги планот, напредокот и последната проценка на пробацијата лично.\n\n"
                    "Отпуштање без план го остава лицето само токму кога старите мрежи повикуваат.",
                ),
            },
        ],
        "questions": [
            {
                "type": "single",
                "prompt": t(
                    "When should release planning begin?",
                    "Kur duhet të fillojë planifikimi i lirimit?",
                    "Kada treba početi planiranje otpusta?",
                    "Кога треба да започне планирањето на отпуштањето?",
                ),
                "choices": [
                    (
                        t(
                            "Months before release, as part of the individual plan",
                            "Muaj para lirimit, si pjesë e planit individual",
                            "Mjesecima prije otpusta, kao dio individualnog plana",
                            "Месеци пред отпуштањето, како дел од индивидуалниот план",
                        ),
                        True,
                    ),
                    (
                        t("On the day of release", "Në ditën e lirimit", "Na dan otpusta", "На денот на отпуштањето"),
                        False,
                    ),
                    (
                        t(
                            "After release, when problems appear",
                            "Pas lirimit, kur shfaqen problemet",
                            "Nakon otpusta, kada se pojave problemi",
                            "По отпуштањето, кога ќе се појават проблеми",
                        ),
                        False,
                    ),
                ],
            },
            {
                "type": "true_false",
                "prompt": t(
                    "A religious counsellor can be part of a prison rehabilitation team.",
                    "Një këshilltar fetar mund të jetë pjesë e ekipit të rehabilitimit në burg.",
                    "Vjerski savjetnik može biti dio zatvorskog tima za rehabilitaciju.",
                    "Верски советник може да биде дел од затворскиот тим за рехабилитација.",
                ),
                "choices": [(TRUE, True), (FALSE, False)],
            },
            {
                "type": "multiple",
                "prompt": t(
                    "What should a hand-over from prison to probation pass on?",
                    "Çfarë duhet të përcjellë dorëzimi nga burgu te shërbimi i provës?",
                    "Šta treba prenijeti pri predaji iz zatvora probaciji?",
                    "Што треба да се пренесе при предавањето од затвор на пробација?",
                ),
                "choices": [
                    (
                        t(
                            "The individual plan and its progress",
                            "Planin individual dhe përparimin e tij",
                            "Individualni plan i njegov napredak",
                            "Индивидуалниот план и неговиот напредок",
                        ),
                        True,
                    ),
                    (
                        t(
                            "The latest risk and needs assessment",
                            "Vlerësimin e fundit të rrezikut dhe nevojave",
                            "Posljednju procjenu rizika i potreba",
                            "Последната проценка на ризикот и потребите",
                        ),
                        True,
                    ),
                    (
                        t(
                            "Rumours heard from other prisoners",
                            "Thashetheme nga të burgosurit e tjerë",
                            "Glasine od drugih zatvorenika",
                            "Гласини од други затвореници",
                        ),
                        False,
                    ),
                ],
            },
        ],
    },
    {
        "pillar": "probation",
        "title": t("Probation-based DRR", "DRR në shërbimin e provës", "DRR u probaciji", "DRR во пробација"),
        "lessons": [
            {
                "title": t(
                    "Supervision in the community",
                    "Mbikëqyrja në komunitet",
                    "Nadzor u zajednici",
                    "Надзор во заедницата",
                ),
                "body": t(
                    "Probation combines **control and support**. Conditions protect the public; support makes change last.\n\n"
                    "- Meet regularly and keep to what was agreed.\n- Link each condition to the plan's goals.\n"
                    "- Use specialist officers for extremism cases, with supervision and peer review.\n\n"
                    "A respectful working relationship is the strongest tool a probation officer has.",
                    "Prova kombinon **kontrollin dhe mbështetjen**. Kushtet mbrojnë publikun; mbështetja e bën ndryshimin të qëndrueshëm.\n\n"
                    "- Takohuni rregullisht dhe mbani atë që është rënë dakord.\n- Lidheni çdo kusht me qëllimet e planit.\n"
                    "- Përdorni zyrtarë të specializuar për rastet e ekstremizmit, me mbikëqyrje dhe rishikim nga kolegët.\n\n"
                    "Një marrëdhënie pune me respekt është mjeti më i fortë i një zyrtari prove.",
                    "Probacija spaja **kontrolu i podršku**. Uslovi štite javnost; podrška čini promjenu trajnom.\n\n"
                    "- Sastajte se redovno i držite se dogovorenog.\n- Povežite svaki uslov s ciljevima plana.\n"
                    "- Za slučajeve ekstremizma angažujte specijalizovane službenike, uz superviziju i kolegijalnu provjeru.\n\n"
                    "Odnos zasnovan na poštovanju najjači je alat probacijskog službenika.",
                    "Пробацијата ги спојува **контролата и поддршката**. Условите ја штитат јавноста; поддршката ја прави промената трајна.\n\n"
                    "- Среќавајте се редовно и држете се до договореното.\n- Поврзете го секој услов со целите на планот.\n"
                    "- За случаите на екстремизам ангажирајте специјализирани службеници, со супервизија и колегијална проверка.\n\n"
                    "Работниот однос заснован на почит е најсилната алатка на пробацискиот службеник.",
                ),
            },
            {
                "title": t(
                    "No loss at hand-over",
                    "Asnjë humbje në dorëzim",
                    "Bez gubitaka pri predaji",
                    "Без загуби при предавањето",
                ),
                "body": t(
                    "The first weeks after release carry the highest risk of dropping out of support.\n\n"
                    "1. Meet the person **before release** when the law allows.\n2. Keep the same plan; change goals only with reasons.\n"
                    "3. Make referrals to housing, work and health services before the release date.\n4. Agree who calls whom if an appointment is missed.\n\n"
                    "Continuity means the person never has to tell their story from the start again.",
                    "Javët e para pas lirimit mbajnë rrezikun më të lartë të braktisjes së mbështetjes.\n\n"
                    "1. Takoni personin **para lirimit** kur ligji e lejon.\n2. Mbani të njëjtin plan; ndryshoni qëllimet vetëm me arsye.\n"
                    "3. Bëni referimet te strehimi, puna dhe shëndetësia para datës së lirimit.\n4. Bini dakord kush kë thërret nëse humbet një takim.\n\n"
                    "Vazhdimësia do të thotë që personi nuk duhet ta tregojë më kurrë historinë e vet nga fillimi.",
                    "Prve sedmice nakon otpusta nose najveći rizik od ispadanja iz podrške.\n\n"
                    "1. Upoznajte osobu **prije otpusta** kada zakon to dozvoljava.\n2. Zadržite isti plan; ciljeve mijenjajte samo uz obrazloženje.\n"
                    "3. Uputite osobu na službe za smještaj, posao i zdravlje prije datuma otpusta.\n4. Dogovorite ko koga zove ako se propusti termin.\n\n"
                    "Kontinuitet znači da osoba nikada ne mora ponovo ispričati svoju priču od početka.",
                    "Првите недели по отпуштањето носат најголем ризик од откажување од поддршката.\n\n"
                    "1. Запознајте го лицето **пред отпуштањето** кога законот дозволува.\n2. Задржете го истиот план; менувајте ги целите само со образложение.\n"
                    "3. Упатете го лицето до службите за сместување, работа и здравје пред датумот на отпуштање.\n4. Договорете кој кого повикува ако се пропушти средба.\n\n"
                    "Континуитетот значи дека лицето никогаш не мора повторно да ја раскажува својата приказна од почеток.",
                ),
            },
        ],
        "questions": [
            {
                "type": "single",
                "prompt": t(
                    "What is the aim of probation supervision in DRR?",
                    "Cili është qëllimi i mbikëqyrjes së provës në DRR?",
                    "Koji je cilj probacijskog nadzora u DRR-u?",
                    "Која е целта на пробацискиот надзор во DRR?",
                ),
                "choices": [
                    (
                        t(
                            "To combine control with support for reintegration",
                            "Të kombinojë kontrollin me mbështetjen për riintegrim",
                            "Spojiti kontrolu s podrškom za reintegraciju",
                            "Да ја спои контролата со поддршка за реинтеграција",
                        ),
                        True,
                    ),
                    (
                        t(
                            "To punish the person a second time",
                            "Të ndëshkojë personin për herë të dytë",
                            "Kazniti osobu drugi put",
                            "Да го казни лицето по втор пат",
                        ),
                        False,
                    ),
                    (
                        t(
                            "Only to check attendance at meetings",
                            "Vetëm të kontrollojë pjesëmarrjen në takime",
                            "Samo provjeravati dolazak na sastanke",
                            "Само да го проверува присуството на средбите",
                        ),
                        False,
                    ),
                ],
            },
            {
                "type": "true_false",
                "prompt": t(
                    "When the law allows, the probation officer should meet the person before release.",
                    "Kur ligji e lejon, zyrtari i provës duhet ta takojë personin para lirimit.",
                    "Kada zakon dozvoljava, probacijski službenik treba upoznati osobu prije otpusta.",
                    "Кога законот дозволува, пробацискиот службеник треба да го запознае лицето пред отпуштањето.",
                ),
                "choices": [(TRUE, True), (FALSE, False)],
            },
            {
                "type": "multiple",
                "prompt": t(
                    "What belongs in a probation plan?",
                    "Çfarë hyn në një plan prove?",
                    "Šta spada u plan probacije?",
                    "Што спаѓа во пробацискиот план?",
                ),
                "choices": [
                    (t("Housing", "Strehimi", "Smještaj", "Сместување"), True),
                    (t("Work or training", "Puna ose trajnimi", "Posao ili obuka", "Работа или обука"), True),
                    (
                        t("Contact with a mentor", "Kontakti me një mentor", "Kontakt s mentorom", "Контакт со ментор"),
                        True,
                    ),
                    (
                        t(
                            "Publishing the person's address",
                            "Publikimi i adresës së personit",
                            "Objavljivanje adrese osobe",
                            "Објавување на адресата на лицето",
                        ),
                        False,
                    ),
                ],
            },
        ],
    },
    {
        "pillar": "reintegration",
        "title": t("Reintegration measures", "Masat e riintegrimit", "Mjere reintegracije", "Мерки за реинтеграција"),
        "lessons": [
            {
                "title": t(
                    "Building a life after prison",
                    "Ndërtimi i jetës pas burgut",
                    "Izgradnja života nakon zatvora",
                    "Градење живот по затворот",
                ),
                "body": t(
                    "Reintegration works when daily life holds together:\n\n"
                    "- a safe place to live and identity documents\n- work, training or education\n"
                    "- health care, including mental health\n- family and a circle of people outside old networks\n\n"
                    "**Aftercare** continues after the sentence ends: people do not stop needing support on a date set by a court.",
                    "Riintegrimi funksionon kur jeta e përditshme mbahet bashkë:\n\n"
                    "- një vend i sigurt për të jetuar dhe dokumente identiteti\n- punë, trajnim ose arsim\n"
                    "- kujdes shëndetësor, përfshirë shëndetin mendor\n- familja dhe një rreth njerëzish jashtë rrjeteve të vjetra\n\n"
                    "**Kujdesi i mëpasshëm** vazhdon pas përfundimit të dënimit: njerëzit nuk pushojnë së pasuri nevojë për mbështetje në një datë të caktuar nga gjykata.",
                    "Reintegracija uspijeva kada se svakodnevni život drži na okupu:\n\n"
                    "- sigurno mjesto za život i lični dokumenti\n- posao, obuka ili obrazovanje\n"
                    "- zdravstvena zaštita, uključujući mentalno zdravlje\n- porodica i krug ljudi izvan starih mreža\n\n"
                    "**Postpenalna podrška** nastavlja se i nakon isteka kazne: potreba za podrškom ne prestaje na datum koji odredi sud.",
                    "Реинтеграцијата успева кога секојдневниот живот се држи заедно:\n\n"
                    "- безбедно место за живеење и лични документи\n- работа, обука или образование\n"
                    "- здравствена заштита, вклучително и ментално здравје\n- семејство и круг луѓе надвор од старите мрежи\n\n"
                    "**Постпеналната поддршка** продолжува и по истекот на казната: потребата од поддршка не престанува на датум што го определил судот.",
                ),
            },
            {
                "title": t(
                    "Working with communities", "Puna me komunitetet", "Rad sa zajednicama", "Работа со заедниците"
                ),
                "body": t(
                    "Communities may fear the return of a former fighter. Without acceptance, the risk of reoffending grows.\n\n"
                    "1. Involve local government, religious leaders and civil society early.\n2. Explain what is being done to keep everyone safe, without exposing the person.\n"
                    "3. Offer mentors and places to belong: sport, volunteering, work.\n4. Listen to concerns and answer them with facts.\n\n"
                    "Acceptance is built by people the community already trusts.",
                    "Komunitetet mund të kenë frikë nga kthimi i një ish-luftëtari. Pa pranim, rreziku i përsëritjes së veprës rritet.\n\n"
                    "1. Përfshini herët pushtetin vendor, udhëheqësit fetarë dhe shoqërinë civile.\n2. Shpjegoni çfarë po bëhet për sigurinë e të gjithëve, pa e ekspozuar personin.\n"
                    "3. Ofroni mentorë dhe vende përkatësie: sport, vullnetarizëm, punë.\n4. Dëgjoni shqetësimet dhe përgjigjuni me fakte.\n\n"
                    "Pranimi ndërtohet nga njerëz të cilëve komuniteti tashmë u beson.",
                    "Zajednice se mogu plašiti povratka bivšeg borca. Bez prihvatanja raste rizik od ponovnog činjenja djela.\n\n"
                    "1. Rano uključite lokalnu vlast, vjerske lidere i civilno društvo.\n2. Objasnite šta se čini za sigurnost svih, bez izlaganja osobe.\n"
                    "3. Ponudite mentore i mjesta pripadanja: sport, volontiranje, posao.\n4. Saslušajte zabrinutosti i odgovorite činjenicama.\n\n"
                    "Prihvatanje grade ljudi kojima zajednica već vjeruje.",
                    "Заедниците може да се плашат од враќањето на поранешен борец. Без прифаќање, ризикот од повторување на делото расте.\n\n"
                    "1. Навреме вклучете ја локалната власт, верските водачи и граѓанското општество.\n2. Објаснете што се прави за безбедноста на сите, без да го изложите лицето.\n"
                    "3. Понудете ментори и места на припадност: спорт, волонтирање, работа.\n4. Сослушајте ги загриженостите и одговорете со факти.\n\n"
                    "Прифаќањето го градат луѓе на кои заедницата веќе им верува.",
                ),
            },
        ],
        "questions": [
            {
                "type": "single",
                "prompt": t(
                    "Why does social acceptance matter for reintegration?",
                    "Pse ka rëndësi pranimi shoqëror për riintegrimin?",
                    "Zašto je društveno prihvatanje važno za reintegraciju?",
                    "Зошто општественото прифаќање е важно за реинтеграцијата?",
                ),
                "choices": [
                    (
                        t(
                            "People who are not accepted are more likely to reoffend",
                            "Njerëzit që nuk pranohen kanë më shumë gjasa të përsërisin veprën",
                            "Osobe koje nisu prihvaćene vjerovatnije ponovo čine djela",
                            "Лицата што не се прифатени почесто повторно вршат дела",
                        ),
                        True,
                    ),
                    (
                        t(
                            "It does not matter if the services work well",
                            "Nuk ka rëndësi nëse shërbimet punojnë mirë",
                            "Nije važno ako službe dobro rade",
                            "Не е важно ако службите добро работат",
                        ),
                        False,
                    ),
                    (
                        t(
                            "It matters only for the media",
                            "Ka rëndësi vetëm për mediat",
                            "Važno je samo za medije",
                            "Важно е само за медиумите",
                        ),
                        False,
                    ),
                ],
            },
            {
                "type": "true_false",
                "prompt": t(
                    "Aftercare ends on the day the sentence ends.",
                    "Kujdesi i mëpasshëm përfundon në ditën kur përfundon dënimi.",
                    "Postpenalna podrška završava na dan isteka kazne.",
                    "Постпеналната поддршка завршува на денот кога истекува казната.",
                ),
                "choices": [(TRUE, False), (FALSE, True)],
            },
            {
                "type": "multiple",
                "prompt": t(
                    "Which of these are reintegration measures?",
                    "Cilat nga këto janë masa riintegrimi?",
                    "Koje su od ovih mjere reintegracije?",
                    "Кои од овие се мерки за реинтеграција?",
                ),
                "choices": [
                    (
                        t(
                            "Help to obtain identity documents",
                            "Ndihmë për marrjen e dokumenteve të identitetit",
                            "Pomoć pri dobijanju ličnih dokumenata",
                            "Помош за добивање лични документи",
                        ),
                        True,
                    ),
                    (t("Vocational training", "Aftësimi profesional", "Stručna obuka", "Стручна обука"), True),
                    (
                        t(
                            "Mental health care",
                            "Kujdesi për shëndetin mendor",
                            "Zaštita mentalnog zdravlja",
                            "Грижа за менталното здравје",
                        ),
                        True,
                    ),
                    (
                        t(
                            "A ban on all family contact",
                            "Ndalimi i çdo kontakti me familjen",
                            "Zabrana svakog kontakta s porodicom",
                            "Забрана за секаков контакт со семејството",
                        ),
                        False,
                    ),
                ],
            },
        ],
    },
    {
        "pillar": "vulnerable",
        "title": t(
            "Vulnerable categories: safeguards",
            "Kategoritë e cenueshme: masat mbrojtëse",
            "Ranjive kategorije: zaštitne mjere",
            "Ранливи категории: заштитни мерки",
        ),
        "lessons": [
            {
                "title": t(
                    "Safeguards that fit the person",
                    "Masa mbrojtëse që i përshtaten personit",
                    "Zaštitne mjere prilagođene osobi",
                    "Заштитни мерки прилагодени на лицето",
                ),
                "body": t(
                    "Some people need extra safeguards in DRR: children, young adults, women with children, people with disabilities or trauma.\n\n"
                    "- For a child, the **best interests of the child** come first, and a guardian takes part in decisions.\n"
                    "- Use age-appropriate and gender-sensitive methods and staff.\n- Collect and share only the data that is strictly needed.\n\n"
                    "Safeguards are not extra paperwork: they decide whether support reaches the person at all.",
                    "Disa njerëz kanë nevojë për masa shtesë mbrojtëse në DRR: fëmijët, të rinjtë, gratë me fëmijë, personat me aftësi të kufizuara ose traumë.\n\n"
                    "- Për një fëmijë, **interesi më i mirë i fëmijës** vjen i pari, dhe një kujdestar merr pjesë në vendime.\n"
                    "- Përdorni metoda dhe staf të përshtatshëm për moshën dhe të ndjeshëm ndaj gjinisë.\n- Mblidhni dhe ndani vetëm të dhënat që janë rreptësisht të nevojshme.\n\n"
                    "Masat mbrojtëse nuk janë letra shtesë: ato vendosin nëse mbështetja e arrin fare personin.",
                    "Nekim osobama u DRR-u trebaju dodatne zaštitne mjere: djeci, mladima, ženama s djecom, osobama s invaliditetom ili traumom.\n\n"
                    "- Za dijete **najbolji interes djeteta** dolazi na prvo mjesto, a staratelj učestvuje u odlukama.\n"
                    "- Koristite metode i osoblje prilagođene uzrastu i rodno osjetljive.\n- Prikupljajte i dijelite samo podatke koji su nužno potrebni.\n\n"
                    "Zaštitne mjere nisu dodatna papirologija: od njih zavisi hoće li podrška uopće stići do osobe.",
                    "На некои луѓе во DRR им требаат дополнителни заштитни мерки: децата, младите, жените со деца, лицата со попреченост или траума.\n\n"
                    "- За дете, **најдобриот интерес на детето** е на прво место, а старател учествува во одлуките.\n"
                    "- Користете методи и персонал прилагодени на возраста и родово чувствителни.\n- Собирајте и споделувајте само податоци што се неопходно потребни.\n\n"
                    "Заштитните мерки не се дополнителна администрација: од нив зависи дали поддршката воопшто ќе стигне до лицето.",
                ),
            },
            {
                "title": t(
                    "Trauma-informed practice",
                    "Praktika e informuar për traumën",
                    "Praksa informisana o traumi",
                    "Пракса информирана за траумата",
                ),
                "body": t(
                    "Many returnees, especially children, have lived through war, loss and detention.\n\n"
                    "1. Keep routines and relationships **predictable**.\n2. Explain each step and what will happen next.\n"
                    "3. Avoid repeated interviews about the worst events.\n4. Refer to specialist psychosocial support when signs of trauma persist.\n\n"
                    'Ask "what happened to you?" before "what is wrong with you?".',
                    "Shumë të kthyer, sidomos fëmijët, kanë përjetuar luftë, humbje dhe ndalim.\n\n"
                    "1. Mbajini rutinat dhe marrëdhëniet **të parashikueshme**.\n2. Shpjegoni çdo hap dhe çfarë do të ndodhë më pas.\n"
                    "3. Shmangni intervistat e përsëritura për ngjarjet më të rënda.\n4. Referoni te mbështetja e specializuar psikosociale kur shenjat e traumës vazhdojnë.\n\n"
                    'Pyesni "çfarë të ka ndodhur?" para "çfarë nuk shkon me ty?".',
                    "Mnogi povratnici, posebno djeca, preživjeli su rat, gubitak i pritvor.\n\n"
                    "1. Održavajte rutine i odnose **predvidivim**.\n2. Objasnite svaki korak i šta slijedi.\n"
                    "3. Izbjegavajte ponovljene razgovore o najtežim događajima.\n4. Uputite na specijalizovanu psihosocijalnu podršku kada znaci traume potraju.\n\n"
                    'Pitajte "šta ti se dogodilo?" prije nego "šta nije u redu s tobom?".',
                    "Многу повратници, особено децата, преживеале војна, загуба и притвор.\n\n"
                    "1. Одржувајте ги рутините и односите **предвидливи**.\n2. Објаснете го секој чекор и што следува.\n"
                    "3. Избегнувајте повторени разговори за најтешките настани.\n4. Упатете на специјализирана психосоцијална поддршка кога знаците на траума траат.\n\n"
                    "Прашајте „што ти се случило?“ пред „што не е во ред со тебе?“.",
                ),
            },
        ],
        "questions": [
            {
                "type": "single",
                "prompt": t(
                    "In decisions about a child, what is the primary consideration?",
                    "Në vendimet për një fëmijë, cili është konsiderimi kryesor?",
                    "Šta je glavni kriterij u odlukama o djetetu?",
                    "Кој е главниот критериум во одлуките за дете?",
                ),
                "choices": [
                    (
                        t(
                            "The best interests of the child",
                            "Interesi më i mirë i fëmijës",
                            "Najbolji interes djeteta",
                            "Најдобриот интерес на детето",
                        ),
                        True,
                    ),
                    (
                        t(
                            "What is easiest for the institutions",
                            "Çfarë është më e lehtë për institucionet",
                            "Ono što je najlakše institucijama",
                            "Она што е најлесно за институциите",
                        ),
                        False,
                    ),
                    (t("Public opinion", "Opinioni publik", "Javno mnijenje", "Јавното мислење"), False),
                ],
            },
            {
                "type": "true_false",
                "prompt": t(
                    "Children brought back from conflict zones are first of all victims who need protection.",
                    "Fëmijët e kthyer nga zonat e konfliktit janë para së gjithash viktima që kanë nevojë për mbrojtje.",
                    "Djeca vraćena iz zona sukoba prije svega su žrtve kojima je potrebna zaštita.",
                    "Децата вратени од зоните на конфликт се пред сè жртви на кои им е потребна заштита.",
                ),
                "choices": [(TRUE, True), (FALSE, False)],
            },
            {
                "type": "multiple",
                "prompt": t(
                    "What does trauma-informed practice include?",
                    "Çfarë përfshin praktika e informuar për traumën?",
                    "Šta uključuje praksa informisana o traumi?",
                    "Што вклучува праксата информирана за траумата?",
                ),
                "choices": [
                    (
                        t(
                            "Predictable routines",
                            "Rutina të parashikueshme",
                            "Predvidive rutine",
                            "Предвидливи рутини",
                        ),
                        True,
                    ),
                    (
                        t(
                            "Explaining each step",
                            "Shpjegimi i çdo hapi",
                            "Objašnjavanje svakog koraka",
                            "Објаснување на секој чекор",
                        ),
                        True,
                    ),
                    (
                        t(
                            "Repeated interviews about the worst events",
                            "Intervista të përsëritura për ngjarjet më të rënda",
                            "Ponovljeni razgovori o najtežim događajima",
                            "Повторени разговори за најтешките настани",
                        ),
                        False,
                    ),
                ],
            },
        ],
    },
    {
        "pillar": "vulnerable",
        "title": t(
            "Women, minors and returnee families",
            "Gratë, të miturit dhe familjet e të kthyerve",
            "Žene, maloljetnici i porodice povratnika",
            "Жени, малолетници и семејства на повратници",
        ),
        "lessons": [
            {
                "title": t("Women who return", "Gratë që kthehen", "Žene koje se vraćaju", "Жени што се враќаат"),
                "body": t(
                    "Women who return from conflict zones had many different roles: some were coerced, some supported the group, a few took part in violence.\n\n"
                    "- Assess each woman **individually**; do not assume she is only a victim or only a perpetrator.\n"
                    "- Offer gender-sensitive services: female staff where wanted, childcare during appointments.\n"
                    "- Support economic independence: documents, training, income.\n\n"
                    "A mother's reintegration and her children's wellbeing are closely linked.",
                    "Gratë që kthehen nga zonat e konfliktit kanë pasur role shumë të ndryshme: disa u detyruan, disa e mbështetën grupin, pak morën pjesë në dhunë.\n\n"
                    "- Vlerësoni çdo grua **individualisht**; mos supozoni se ajo është vetëm viktimë ose vetëm autore.\n"
                    "- Ofroni shërbime të ndjeshme ndaj gjinisë: staf femëror kur dëshirohet, kujdes për fëmijët gjatë takimeve.\n"
                    "- Mbështetni pavarësinë ekonomike: dokumente, trajnim, të ardhura.\n\n"
                    "Riintegrimi i nënës dhe mirëqenia e fëmijëve të saj janë të lidhura ngushtë.",
                    "Žene koje se vraćaju iz zona sukoba imale su vrlo različite uloge: neke su bile prisiljene, neke su podržavale grupu, malo ih je učestvovalo u nasilju.\n\n"
                    "- Procijenite svaku ženu **pojedinačno**; ne pretpostavljajte da je samo žrtva ili samo počiniteljica.\n"
                    "- Ponudite rodno osjetljive usluge: žensko osoblje kada se to želi, čuvanje djece tokom termina.\n"
                    "- Podržite ekonomsku samostalnost: dokumenti, obuka, prihod.\n\n"
                    "Reintegracija majke i dobrobit njene djece usko su povezane.",
                    "Жените што се враќаат од зоните на конфликт имале многу различни улоги: некои биле принудени, некои ја поддржувале групата, малку учествувале во насилство.\n\n"
                    "- Проценете ја секоја жена **поединечно**; не претпоставувајте дека е само жртва или само сторителка.\n"
                    "- Понудете родово чувствителни услуги: женски персонал кога е посакувано, чување деца за време на средбите.\n"
                    "- Поддржете ја економската самостојност: документи, обука, приход.\n\n"
                    "Реинтеграцијата на мајката и благосостојбата на нејзините деца се тесно поврзани.",
                ),
            },
            {
                "title": t(
                    "Returnee children and families",
                    "Fëmijët dhe familjet e të kthyerve",
                    "Djeca i porodice povratnika",
                    "Деца и семејства на повратници",
                ),
                "body": t(
                    "Children who return need a stable start and an ordinary childhood.\n\n"
                    "1. Register births and issue **documents** quickly.\n2. Check health and offer psychosocial support.\n"
                    "3. Enrol children in **school** soon, and prepare teachers to prevent stigma.\n"
                    "4. Keep children with their mother or relatives when that is in the child's best interests.\n\n"
                    "Extended family is often the strongest support, and it needs support too.",
                    "Fëmijët që kthehen kanë nevojë për një fillim të qëndrueshëm dhe një fëmijëri të zakonshme.\n\n"
                    "1. Regjistroni lindjet dhe lëshoni **dokumentet** shpejt.\n2. Kontrolloni shëndetin dhe ofroni mbështetje psikosociale.\n"
                    "3. Regjistroni fëmijët në **shkollë** shpejt dhe përgatitni mësuesit për të parandaluar stigmën.\n"
                    "4. Mbajini fëmijët me nënën ose të afërmit kur kjo është në interesin më të mirë të fëmijës.\n\n"
                    "Familja e zgjeruar është shpesh mbështetja më e fortë, dhe edhe ajo ka nevojë për mbështetje.",
                    "Djeci koja se vraćaju potreban je stabilan početak i obično djetinjstvo.\n\n"
                    "1. Brzo upišite rođenja i izdajte **dokumente**.\n2. Provjerite zdravlje i ponudite psihosocijalnu podršku.\n"
                    "3. Djecu brzo upišite u **školu** i pripremite nastavnike da spriječe stigmu.\n"
                    "4. Djecu držite s majkom ili rodbinom kada je to u najboljem interesu djeteta.\n\n"
                    "Šira porodica je često najjača podrška, i njoj je potrebna podrška.",
                    "На децата што се враќаат им треба стабилен почеток и обично детство.\n\n"
                    "1. Брзо запишете ги раѓањата и издадете **документи**.\n2. Проверете го здравјето и понудете психосоцијална поддршка.\n"
                    "3. Брзо запишете ги децата во **училиште** и подгответе ги наставниците да спречат стигма.\n"
                    "4. Чувајте ги децата со мајката или роднините кога тоа е во најдобар интерес на детето.\n\n"
                    "Пошироката фамилија често е најсилната поддршка, и на неа ѝ треба поддршка.",
                ),
            },
        ],
        "questions": [
            {
                "type": "single",
                "prompt": t(
                    "How should the case of a woman who returns be assessed?",
                    "Si duhet të vlerësohet rasti i një gruaje që kthehet?",
                    "Kako treba procijeniti slučaj žene koja se vraća?",
                    "Како треба да се процени случајот на жена што се враќа?",
                ),
                "choices": [
                    (
                        t(
                            "Individually, without assuming her role",
                            "Individualisht, pa supozuar rolin e saj",
                            "Pojedinačno, bez pretpostavki o njenoj ulozi",
                            "Поединечно, без претпоставки за нејзината улога",
                        ),
                        True,
                    ),
                    (
                        t(
                            "As a victim in every case",
                            "Si viktimë në çdo rast",
                            "Kao žrtva u svakom slučaju",
                            "Како жртва во секој случај",
                        ),
                        False,
                    ),
                    (
                        t(
                            "As a perpetrator in every case",
                            "Si autore në çdo rast",
                            "Kao počiniteljica u svakom slučaju",
                            "Како сторителка во секој случај",
                        ),
                        False,
                    ),
                ],
            },
            {
                "type": "true_false",
                "prompt": t(
                    "Prompt school enrolment helps returnee children to reintegrate.",
                    "Regjistrimi i shpejtë në shkollë i ndihmon fëmijët e kthyer të riintegrohen.",
                    "Brz upis u školu pomaže djeci povratnicima da se reintegrišu.",
                    "Брзото запишување во училиште им помага на децата повратници да се реинтегрираат.",
                ),
                "choices": [(TRUE, True), (FALSE, False)],
            },
            {
                "type": "multiple",
                "prompt": t(
                    "Which steps help returnee children?",
                    "Cilat hapa i ndihmojnë fëmijët e kthyer?",
                    "Koji koraci pomažu djeci povratnicima?",
                    "Кои чекори им помагаат на децата повратници?",
                ),
                "choices": [
                    (
                        t(
                            "Birth registration and documents",
                            "Regjistrimi i lindjes dhe dokumentet",
                            "Upis rođenja i dokumenti",
                            "Запишување на раѓањето и документи",
                        ),
                        True,
                    ),
                    (
                        t(
                            "Health and psychosocial checks",
                            "Kontrollet shëndetësore dhe psikosociale",
                            "Zdravstveni i psihosocijalni pregledi",
                            "Здравствени и психосоцијални прегледи",
                        ),
                        True,
                    ),
                    (t("School enrolment", "Regjistrimi në shkollë", "Upis u školu", "Запишување во училиште"), True),
                    (
                        t(
                            "Separating them from relatives by default",
                            "Ndarja e tyre nga të afërmit si rregull",
                            "Odvajanje od rodbine po pravilu",
                            "Одвојување од роднините по правило",
                        ),
                        False,
                    ),
                ],
            },
        ],
    },
]
