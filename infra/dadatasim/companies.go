package dadatasim

// Company is a party the simulator knows. Names, posts and addresses are written as the state
// register (and so DaData) writes them.
type Company struct {
	Type                        string // LEGAL or INDIVIDUAL
	INN, KPP, OGRN, OKPO, OKVED string // KPP only for LEGAL; OGRN is the OGRNIP of an INDIVIDUAL
	OPF                         OPF
	FullWithOPF, ShortWithOPF   string // ОБЩЕСТВО С ОГРАНИЧЕННОЙ ОТВЕТСТВЕННОСТЬЮ "РОМАШКА" / ООО "РОМАШКА"
	Full, Short                 string // РОМАШКА / РОМАШКА (Short empty for an INDIVIDUAL)
	Manager                     Manager
	FIO                         FIO    // INDIVIDUAL only
	Status                      string // ACTIVE, LIQUIDATING, LIQUIDATED, BANKRUPT, REORGANIZING
	Registered, Liquidated      string // YYYY-MM-DD
	Address                     Address
}

// OPF is the legal form by ОКОПФ.
type OPF struct{ Code, Short, Full string }

// Manager is the head of a legal entity.
type Manager struct{ Name, Post string }

// FIO is a sole proprietor's name.
type FIO struct{ Surname, Name, Patronymic string }

// Address is a registered address: Source as the register writes it (it is also the value,
// as in seed 004's regAddress) and its parts as DaData splits them.
type Address struct {
	Source                                               string
	PostalCode                                           string
	Region, Area, City, CityDistrict, Settlement, Street Place
	House, Block, Flat                                   Place // WithType unused
	FiasID, KladrID, OKATO, OKTMO, TaxOffice, Timezone   string
}

// Place is one level of an address: "ул", "улица", "Вавилова", "ул Вавилова".
type Place struct{ Type, TypeFull, Name, WithType string }

// pre is a place whose type comes first (г Москва, ул Вавилова, Респ Татарстан).
func pre(typ, full, name string) Place { return Place{typ, full, name, typ + " " + name} }

// post is a place whose type comes last (Свердловская обл, Московский пр-кт).
func post(typ, full, name string) Place { return Place{typ, full, name, name + " " + typ} }

func house(n string) Place { return Place{Type: "д", TypeFull: "дом", Name: n} }

var (
	opfOOO = OPF{"12300", "ООО", "Общество с ограниченной ответственностью"}
	opfPAO = OPF{"12247", "ПАО", "Публичное акционерное общество"}
	opfAO  = OPF{"12267", "АО", "Непубличное акционерное общество"}
	opfIP  = OPF{"50102", "ИП", "Индивидуальный предприниматель"}

	moscow = pre("г", "город", "Москва")
	spb    = pre("г", "город", "Санкт-Петербург")
)

// Companies returns the built-in companies: nine legal entities (two of them real, Sberbank and
// seed 004's company; one liquidating, one liquidated) and three sole proprietors. The
// fictitious ones have requisites whose check digits were computed to be valid.
func Companies() []Company {
	return []Company{
		{
			Type: "LEGAL", INN: "7707083893", KPP: "773601001", OGRN: "1027700132195", OKPO: "00032537", OKVED: "64.19",
			OPF: opfPAO, FullWithOPF: `ПУБЛИЧНОЕ АКЦИОНЕРНОЕ ОБЩЕСТВО "СБЕРБАНК РОССИИ"`, ShortWithOPF: "ПАО СБЕРБАНК",
			Full: "СБЕРБАНК РОССИИ", Short: "СБЕРБАНК",
			Manager: Manager{"Греф Герман Оскарович", "ПРЕЗИДЕНТ, ПРЕДСЕДАТЕЛЬ ПРАВЛЕНИЯ"},
			Status:  "ACTIVE", Registered: "1991-06-20",
			Address: Address{
				Source: "117312, ГОРОД МОСКВА, УЛИЦА ВАВИЛОВА, ДОМ 19", PostalCode: "117312",
				Region: moscow, City: moscow, CityDistrict: pre("р-н", "район", "Академический"),
				Street: pre("ул", "улица", "Вавилова"), House: house("19"),
				OKATO: "45293554000", OKTMO: "45397000", TaxOffice: "7736", Timezone: "UTC+3",
			},
		},
		{
			Type: "LEGAL", INN: "9715316168", KPP: "773401001", OGRN: "1187746470834", OKPO: "28517963", OKVED: "62.01",
			OPF:          opfOOO,
			FullWithOPF:  `ОБЩЕСТВО С ОГРАНИЧЕННОЙ ОТВЕТСТВЕННОСТЬЮ "ИННОВАЦИОННЫЕ ФИНАНСОВЫЕ РЕШЕНИЯ"`,
			ShortWithOPF: `ООО "ИФР"`, Full: "ИННОВАЦИОННЫЕ ФИНАНСОВЫЕ РЕШЕНИЯ", Short: "ИФР",
			Manager: Manager{"Соколов Андрей Викторович", "ГЕНЕРАЛЬНЫЙ ДИРЕКТОР"},
			Status:  "ACTIVE", Registered: "2018-05-11",
			Address: Address{
				Source:     "123298, ГОРОД МОСКВА, УЛИЦА НАРОДНОГО ОПОЛЧЕНИЯ, ДОМ 38, КОРПУС 3, ЭТ 5 ПОМ 22",
				PostalCode: "123298", Region: moscow, City: moscow, CityDistrict: pre("р-н", "район", "Щукино"),
				Street: pre("ул", "улица", "Народного Ополчения"), House: house("38"),
				Block:  Place{Type: "к", TypeFull: "корпус", Name: "3"},
				FiasID: "a8496dd3-fa6a-412d-98b3-0637cecff857", KladrID: "7700000000019570061",
				OKATO: "45283587000", OKTMO: "45372000", TaxOffice: "7734", Timezone: "UTC+3",
			},
		},
		{
			Type: "LEGAL", INN: "7715048236", KPP: "771501001", OGRN: "1107746139027", OKPO: "43819265", OKVED: "47.11",
			OPF: opfOOO, FullWithOPF: `ОБЩЕСТВО С ОГРАНИЧЕННОЙ ОТВЕТСТВЕННОСТЬЮ "РОМАШКА"`, ShortWithOPF: `ООО "РОМАШКА"`,
			Full: "РОМАШКА", Short: "РОМАШКА",
			Manager: Manager{"Орлова Елена Михайловна", "ГЕНЕРАЛЬНЫЙ ДИРЕКТОР"},
			Status:  "ACTIVE", Registered: "2010-11-15",
			Address: Address{
				Source:     "127015, ГОРОД МОСКВА, УЛИЦА БУТЫРСКАЯ, ДОМ 76, СТРОЕНИЕ 1, ПОМЕЩЕНИЕ 3",
				PostalCode: "127015", Region: moscow, City: moscow, CityDistrict: pre("р-н", "район", "Савеловский"),
				Street: pre("ул", "улица", "Бутырская"), House: house("76"),
				Block: Place{Type: "стр", TypeFull: "строение", Name: "1"}, Flat: Place{Type: "помещ", TypeFull: "помещение", Name: "3"},
				TaxOffice: "7715", Timezone: "UTC+3",
			},
		},
		{
			Type: "LEGAL", INN: "7810135721", KPP: "781001001", OGRN: "1157847365114", OKPO: "70245186", OKVED: "47.76.1",
			OPF: opfOOO, FullWithOPF: `ОБЩЕСТВО С ОГРАНИЧЕННОЙ ОТВЕТСТВЕННОСТЬЮ "ВАСИЛЁК"`, ShortWithOPF: `ООО "ВАСИЛЁК"`,
			Full: "ВАСИЛЁК", Short: "ВАСИЛЁК",
			Manager: Manager{"Лебедева Ольга Николаевна", "ДИРЕКТОР"},
			Status:  "ACTIVE", Registered: "2015-03-24",
			Address: Address{
				Source:     "196084, ГОРОД САНКТ-ПЕТЕРБУРГ, МОСКОВСКИЙ ПРОСПЕКТ, ДОМ 97, ЛИТЕРА А, ПОМЕЩЕНИЕ 12-Н",
				PostalCode: "196084", Region: spb, City: spb, CityDistrict: post("р-н", "район", "Московский"),
				Street: post("пр-кт", "проспект", "Московский"), House: house("97"),
				Block: Place{Type: "литер", TypeFull: "литер", Name: "А"}, Flat: Place{Type: "помещ", TypeFull: "помещение", Name: "12-Н"},
				TaxOffice: "7810", Timezone: "UTC+3",
			},
		},
		{
			Type: "LEGAL", INN: "6658094175", KPP: "665801001", OGRN: "1166658311049", OKPO: "29136401", OKVED: "24.20",
			OPF: opfAO, FullWithOPF: `АКЦИОНЕРНОЕ ОБЩЕСТВО "УРАЛЬСКИЕ ТРУБЫ"`, ShortWithOPF: `АО "УРАЛЬСКИЕ ТРУБЫ"`,
			Full: "УРАЛЬСКИЕ ТРУБЫ", Short: "УРАЛЬСКИЕ ТРУБЫ",
			Manager: Manager{"Кузьмин Дмитрий Александрович", "ГЕНЕРАЛЬНЫЙ ДИРЕКТОР"},
			Status:  "ACTIVE", Registered: "2016-07-05",
			Address: Address{
				Source:     "620014, СВЕРДЛОВСКАЯ ОБЛАСТЬ, ГОРОД ЕКАТЕРИНБУРГ, УЛИЦА ВОЕВОДИНА, ДОМ 8, ОФИС 412",
				PostalCode: "620014", Region: post("обл", "область", "Свердловская"), City: pre("г", "город", "Екатеринбург"),
				CityDistrict: post("р-н", "район", "Верх-Исетский"),
				Street:       pre("ул", "улица", "Воеводина"), House: house("8"), Flat: Place{Type: "офис", TypeFull: "офис", Name: "412"},
				TaxOffice: "6658", Timezone: "UTC+5",
			},
		},
		{
			Type: "LEGAL", INN: "5406192849", KPP: "540601001", OGRN: "1055402753020", OKPO: "15384727", OKVED: "10.71",
			OPF: opfOOO, FullWithOPF: `ОБЩЕСТВО С ОГРАНИЧЕННОЙ ОТВЕТСТВЕННОСТЬЮ "СИБИРСКИЙ ХЛЕБ"`, ShortWithOPF: `ООО "СИБИРСКИЙ ХЛЕБ"`,
			Full: "СИБИРСКИЙ ХЛЕБ", Short: "СИБИРСКИЙ ХЛЕБ",
			Manager: Manager{"Морозов Игорь Павлович", "ДИРЕКТОР"},
			Status:  "ACTIVE", Registered: "2005-09-12",
			Address: Address{
				Source:     "630099, НОВОСИБИРСКАЯ ОБЛАСТЬ, ГОРОД НОВОСИБИРСК, УЛИЦА СОВЕТСКАЯ, ДОМ 18, ОФИС 7",
				PostalCode: "630099", Region: post("обл", "область", "Новосибирская"), City: pre("г", "город", "Новосибирск"),
				CityDistrict: post("р-н", "район", "Центральный"),
				Street:       pre("ул", "улица", "Советская"), House: house("18"), Flat: Place{Type: "офис", TypeFull: "офис", Name: "7"},
				TaxOffice: "5406", Timezone: "UTC+7",
			},
		},
		{
			Type: "LEGAL", INN: "1655037162", KPP: "165501001", OGRN: "1141690256180", OKPO: "67201452", OKVED: "52.29",
			OPF: opfOOO, FullWithOPF: `ОБЩЕСТВО С ОГРАНИЧЕННОЙ ОТВЕТСТВЕННОСТЬЮ "КАЗАНЬ-ЛОГИСТИК"`, ShortWithOPF: `ООО "КАЗАНЬ-ЛОГИСТИК"`,
			Full: "КАЗАНЬ-ЛОГИСТИК", Short: "КАЗАНЬ-ЛОГИСТИК",
			Manager: Manager{"Галиев Ринат Ильдарович", "ЛИКВИДАТОР"},
			Status:  "LIQUIDATING", Registered: "2014-02-18",
			Address: Address{
				Source:     "420111, РЕСПУБЛИКА ТАТАРСТАН, ГОРОД КАЗАНЬ, УЛИЦА БАУМАНА, ДОМ 44, ОФИС 5",
				PostalCode: "420111", Region: pre("Респ", "республика", "Татарстан"), City: pre("г", "город", "Казань"),
				CityDistrict: post("р-н", "район", "Вахитовский"),
				Street:       pre("ул", "улица", "Баумана"), House: house("44"), Flat: Place{Type: "офис", TypeFull: "офис", Name: "5"},
				TaxOffice: "1655", Timezone: "UTC+3",
			},
		},
		{
			Type: "LEGAL", INN: "5047039250", KPP: "504701001", OGRN: "1095047032079", OKPO: "38412975", OKVED: "41.20",
			OPF: opfOOO, FullWithOPF: `ОБЩЕСТВО С ОГРАНИЧЕННОЙ ОТВЕТСТВЕННОСТЬЮ "СТАРТ"`, ShortWithOPF: `ООО "СТАРТ"`,
			Full: "СТАРТ", Short: "СТАРТ",
			Manager: Manager{"Волков Алексей Сергеевич", "ГЕНЕРАЛЬНЫЙ ДИРЕКТОР"},
			Status:  "LIQUIDATED", Registered: "2009-04-02", Liquidated: "2021-09-30",
			Address: Address{
				Source:     "141400, МОСКОВСКАЯ ОБЛАСТЬ, ГОРОД ХИМКИ, УЛИЦА МОСКОВСКАЯ, ДОМ 21",
				PostalCode: "141400", Region: post("обл", "область", "Московская"), City: pre("г", "город", "Химки"),
				Street: pre("ул", "улица", "Московская"), House: house("21"),
				TaxOffice: "5047", Timezone: "UTC+3",
			},
		},
		{
			Type: "LEGAL", INN: "7718132461", KPP: "771801001", OGRN: "1217700134090", OKPO: "91025632", OKVED: "43.21",
			OPF: opfOOO, FullWithOPF: `ОБЩЕСТВО С ОГРАНИЧЕННОЙ ОТВЕТСТВЕННОСТЬЮ "ТЕХНОСТРОЙ"`, ShortWithOPF: `ООО "ТЕХНОСТРОЙ"`,
			Full: "ТЕХНОСТРОЙ", Short: "ТЕХНОСТРОЙ",
			Manager: Manager{"Никитин Сергей Юрьевич", "ГЕНЕРАЛЬНЫЙ ДИРЕКТОР"},
			Status:  "ACTIVE", Registered: "2021-03-10",
			Address: Address{
				Source:     "107076, ГОРОД МОСКВА, УЛИЦА СТРОМЫНКА, ДОМ 11, ПОМЕЩЕНИЕ 4",
				PostalCode: "107076", Region: moscow, City: moscow, CityDistrict: pre("р-н", "район", "Сокольники"),
				Street: pre("ул", "улица", "Стромынка"), House: house("11"), Flat: Place{Type: "помещ", TypeFull: "помещение", Name: "4"},
				TaxOffice: "7718", Timezone: "UTC+3",
			},
		},
		{
			Type: "INDIVIDUAL", INN: "504712500357", OGRN: "314504700035210", OKPO: "0173845266", OKVED: "62.01",
			OPF: opfIP, FullWithOPF: "Индивидуальный предприниматель Иванов Иван Иванович", ShortWithOPF: "ИП Иванов Иван Иванович",
			Full: "Иванов Иван Иванович", FIO: FIO{"Иванов", "Иван", "Иванович"},
			Status: "ACTIVE", Registered: "2014-06-03",
			Address: Address{
				Source: "МОСКОВСКАЯ ОБЛАСТЬ, ГОРОД ХИМКИ", Region: post("обл", "область", "Московская"), City: pre("г", "город", "Химки"),
				TaxOffice: "5047", Timezone: "UTC+3",
			},
		},
		{
			Type: "INDIVIDUAL", INN: "781423051664", OGRN: "317784700288153", OKPO: "0192746359", OKVED: "47.91",
			OPF: opfIP, FullWithOPF: "Индивидуальный предприниматель Смирнова Анна Сергеевна", ShortWithOPF: "ИП Смирнова Анна Сергеевна",
			Full: "Смирнова Анна Сергеевна", FIO: FIO{"Смирнова", "Анна", "Сергеевна"},
			Status: "ACTIVE", Registered: "2017-08-21",
			Address: Address{Source: "ГОРОД САНКТ-ПЕТЕРБУРГ", Region: spb, City: spb, TaxOffice: "7814", Timezone: "UTC+3"},
		},
		{
			Type: "INDIVIDUAL", INN: "165537201992", OGRN: "320169000412270", OKPO: "2019475839", OKVED: "49.41",
			OPF: opfIP, FullWithOPF: "Индивидуальный предприниматель Кузнецов Пётр Алексеевич", ShortWithOPF: "ИП Кузнецов Пётр Алексеевич",
			Full: "Кузнецов Пётр Алексеевич", FIO: FIO{"Кузнецов", "Пётр", "Алексеевич"},
			Status: "ACTIVE", Registered: "2020-11-09",
			Address: Address{
				Source: "РЕСПУБЛИКА ТАТАРСТАН, ГОРОД КАЗАНЬ", Region: pre("Респ", "республика", "Татарстан"), City: pre("г", "город", "Казань"),
				TaxOffice: "1655", Timezone: "UTC+3",
			},
		},
	}
}
