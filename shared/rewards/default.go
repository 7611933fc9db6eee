package rewards

// Default is the catalogue served until the bank first saves one: the bank's business
// accounts with the agent's reward for each opened one.
func Default() []Product {
	return []Product{
		{ID: "rko-start", Name: "Расчётный счёт «Старт»", RewardKopecks: 1_500_00, Active: true, Default: true},
		{ID: "rko-business", Name: "Расчётный счёт «Бизнес»", RewardKopecks: 3_000_00, Active: true},
		{ID: "rko-premium", Name: "Расчётный счёт «Премиум»", RewardKopecks: 7_000_00, Active: true},
		{ID: "rko-ved", Name: "Счёт для ВЭД", RewardKopecks: 5_000_00, Active: true},
	}
}
