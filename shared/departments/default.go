package departments

// Default is the directory served until the bank first saves one: a few regions where the
// bank has offices, each with its cities and offices.
func Default() []Region {
	const weekdays = "пн–пт 9:00–19:00"
	const withSaturday = "пн–пт 9:00–20:00, сб 10:00–16:00"
	return []Region{
		{ID: "77", Name: "Москва", Cities: []City{
			{ID: "77-001", Name: "Москва", Offices: []Office{
				{ID: "77-001-01", Name: "Центральный офис", Address: "г. Москва, ул. Тверская, д. 7", WorkingHours: withSaturday, Phone: "+74951234567"},
				{ID: "77-001-02", Name: "Офис «Таганский»", Address: "г. Москва, ул. Марксистская, д. 22, стр. 1", WorkingHours: weekdays},
				{ID: "77-001-03", Name: "Офис «Сокол»", Address: "г. Москва, Ленинградский пр-т, д. 74", WorkingHours: weekdays},
			}},
			{ID: "77-002", Name: "Зеленоград", Offices: []Office{
				{ID: "77-002-01", Name: "Офис «Зеленоград»", Address: "г. Зеленоград, корп. 1106", WorkingHours: weekdays},
			}},
		}},
		{ID: "50", Name: "Московская область", Cities: []City{
			{ID: "50-001", Name: "Химки", Offices: []Office{
				{ID: "50-001-01", Name: "Офис «Химки»", Address: "Московская обл., г. Химки, ул. Московская, д. 21", WorkingHours: weekdays},
			}},
			{ID: "50-002", Name: "Подольск", Offices: []Office{
				{ID: "50-002-01", Name: "Офис «Подольск»", Address: "Московская обл., г. Подольск, пр-т Ленина, д. 107", WorkingHours: weekdays},
			}},
			{ID: "50-003", Name: "Мытищи", Offices: []Office{
				{ID: "50-003-01", Name: "Офис «Мытищи»", Address: "Московская обл., г. Мытищи, ул. Мира, д. 3", WorkingHours: weekdays},
			}},
		}},
		{ID: "78", Name: "Санкт-Петербург", Cities: []City{
			{ID: "78-001", Name: "Санкт-Петербург", Offices: []Office{
				{ID: "78-001-01", Name: "Офис «Невский»", Address: "г. Санкт-Петербург, Невский пр-т, д. 32", WorkingHours: withSaturday, Phone: "+78121234567"},
				{ID: "78-001-02", Name: "Офис «Московский»", Address: "г. Санкт-Петербург, Московский пр-т, д. 143", WorkingHours: weekdays},
			}},
		}},
		{ID: "66", Name: "Свердловская область", Cities: []City{
			{ID: "66-001", Name: "Екатеринбург", Offices: []Office{
				{ID: "66-001-01", Name: "Офис «Екатеринбург»", Address: "г. Екатеринбург, ул. Малышева, д. 51", WorkingHours: weekdays},
				{ID: "66-001-02", Name: "Офис «Уралмаш»", Address: "г. Екатеринбург, ул. Машиностроителей, д. 19", WorkingHours: weekdays},
			}},
			{ID: "66-002", Name: "Нижний Тагил", Offices: []Office{
				{ID: "66-002-01", Name: "Офис «Нижний Тагил»", Address: "Свердловская обл., г. Нижний Тагил, пр-т Ленина, д. 24", WorkingHours: weekdays},
			}},
		}},
	}
}
