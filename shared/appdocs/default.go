package appdocs

// Default is the list of document types served until the bank first saves one: what the bank
// usually asks of a company opening a business account, and one type only the bank uploads.
func Default() []DocumentType {
	const (
		scans   = "pdf,jpeg,jpg,png,tiff,tif"
		anyFile = "pdf,jpeg,jpg,bmp,png,gif,doc,docx,xls,xlsx,tiff,tif"
		client  = "LKK_APP_CLIENT" // the client's documents (seed 004's subType)
		bank    = "LKB_BANK_FORM"  // the bank's forms
	)
	return []DocumentType{
		{ID: 1, LegalEntityType: "LEGAL_ENTITY", Name: "Устав",
			Description: "Действующая редакция устава со всеми изменениями, с отметкой налогового органа о регистрации (копия, заверенная регистрирующим органом, или нотариально заверенная копия)",
			Showable:    true, Required: true, LKA: true, LKV: true, FileCount: 3, AllowFileTypeLKK: scans, AllowFileTypeLKB: anyFile, MaxFileSize: 20, OrderNum: 10, SubType: client},
		{ID: 2, LegalEntityType: "LEGAL_ENTITY", Name: "Решение о назначении руководителя",
			Description: "Решение (протокол) уполномоченного органа об избрании или назначении единоличного исполнительного органа — генерального директора",
			Showable:    true, Required: true, LKA: true, LKV: true, FileCount: 2, AllowFileTypeLKK: scans, AllowFileTypeLKB: anyFile, MaxFileSize: 10, OrderNum: 20, SubType: client},
		{ID: 3, LegalEntityType: "LEGAL_ENTITY", Name: "Паспорт руководителя",
			Description: "Разворот паспорта руководителя с фотографией и страница с отметкой о регистрации по месту жительства",
			Showable:    true, Required: true, LKA: true, LKV: true, FileCount: 2, AllowFileTypeLKK: scans, AllowFileTypeLKB: anyFile, MaxFileSize: 10, OrderNum: 30, SubType: client},
		{ID: 4, LegalEntityType: "LEGAL_ENTITY", Name: "Договор аренды или гарантийное письмо",
			Description: "Документ, подтверждающий право пользования помещением по адресу местонахождения: договор аренды, свидетельство о собственности или гарантийное письмо арендодателя",
			Showable:    true, LKA: true, LKV: true, FileCount: 3, AllowFileTypeLKK: scans, AllowFileTypeLKB: anyFile, MaxFileSize: 20, OrderNum: 40, SubType: client},
		{ID: 5, LegalEntityType: "LEGAL_ENTITY", Name: "Карточка с образцами подписей",
			Description: "Карточка с образцами подписей и оттиска печати, заверенная нотариально или в отделении банка",
			Showable:    true, LKA: true, LKV: true, FileCount: 1, AllowFileTypeLKK: scans, AllowFileTypeLKB: anyFile, MaxFileSize: 10, OrderNum: 50, SubType: client},
		{ID: 6, LegalEntityType: "INDIVIDUAL_ENTREPRENEUR", Name: "Паспорт индивидуального предпринимателя",
			Description: "Разворот паспорта с фотографией и страница с отметкой о регистрации по месту жительства",
			Showable:    true, Required: true, LKA: true, LKV: true, FileCount: 2, AllowFileTypeLKK: scans, AllowFileTypeLKB: anyFile, MaxFileSize: 10, OrderNum: 60, SubType: client},
		{ID: 7, LegalEntityType: "LEGAL_ENTITY", Name: "Прочие документы",
			Description: "Лицензии, выписки, пояснительные письма и другие документы по запросу банка",
			Showable:    true, LKA: true, LKV: true, FileCount: 0, AllowFileTypeLKK: anyFile, AllowFileTypeLKB: anyFile, MaxFileSize: 10, OrderNum: 90, SubType: client},
		{ID: 8, LegalEntityType: "LEGAL_ENTITY", Name: "Договор банковского счёта",
			Description: "Договор банковского счёта, подписанный клиентом и банком (загружает банк)",
			Showable:    true, LKA: false, LKV: true, FileCount: 1, AllowFileTypeLKK: "pdf", AllowFileTypeLKB: "pdf", MaxFileSize: 10, OrderNum: 100, SubType: bank},
	}
}
