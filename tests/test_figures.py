from datetime import date

from selfservice_portal.deflection.figures import deflection_rate, month_key, savings, share, weighted_cost


def test_months_and_shares():
	assert month_key(date(2026, 3, 9)) == "2026-03"
	assert share(1, 3) == 33.3
	assert share(5, 0) == 0.0
	assert deflection_rate(3, 1) == 75.0


def test_weighted_cost_of_assisted_channels():
	costs = {"Portal": 2.5, "Email": 8, "Phone": 12}
	# (8 * 30 + 12 * 10) / 40 = 9
	assert weighted_cost(costs, {"Portal": 50, "Email": 30, "Phone": 10, "Chat": 5}, exclude="Portal") == 9.0
	assert weighted_cost(costs, {"Portal": 5}, exclude="Portal") == 0.0


def test_savings_is_deflections_plus_channel_shift():
	# 12 deflections x (25 - 2.5) = 270; 40 portal requests x (9 - 2.5) = 260
	assert savings(12, 25, 2.5, 40, 9.0, 2.5) == {"deflection": 270.0, "channel_shift": 260.0, "total": 530.0}
	assert savings(0, 25, 2.5, 10, 2.0, 2.5)["channel_shift"] == 0.0
