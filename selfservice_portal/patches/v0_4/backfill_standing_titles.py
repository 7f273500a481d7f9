"""Standings judged before they had a participant name, a result and a list order get them, in one
statement, so the Desk list shows names, ranks and scores in order instead of bare ids."""

import frappe


def execute() -> None:
	from selfservice_portal.contests.metrics import get_metrics

	shares = tuple(m.key for m in get_metrics().values() if m.unit == "%") or ("",)
	frappe.db.sql(
		"""
		UPDATE `tabSSP Contest Standing` s
		JOIN `tabSSP Contest` c ON c.name = s.contest
		LEFT JOIN `tabSSP Contest Nomination` n
			ON n.parent = c.name AND n.parenttype = 'SSP Contest' AND n.nomination_key = s.nomination_key
		LEFT JOIN `tabUser` u ON u.name = s.user
		SET s.participant_name = IFNULL(NULLIF(u.full_name, ''), s.user),
			s.result = CONCAT(
				IF(s.rank > 0, CONCAT('Rank ', s.rank), 'Not ranked'), ' · ',
				IF(n.metric IN %(shares)s, CONCAT(ROUND(s.score * 100), ' %%'), CAST(ROUND(s.score, 2) AS DOUBLE))
			),
			s.sort_key = CONCAT(
				DATE_FORMAT(c.starts_on, '%%Y%%m%%d%%H%%i'), '-',
				LPAD(99 - LEAST(IFNULL(n.idx, 0), 99), 2, '0'), '-',
				LPAD(IF(s.rank > 0, 99999 - LEAST(s.rank, 99998), 0), 5, '0')
			)
		WHERE s.participant_name IS NULL OR s.result IS NULL OR s.sort_key IS NULL
		""",
		{"shares": shares},
	)
