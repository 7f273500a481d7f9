"""Standings judged before they had a participant name and a list order get both, in one statement,
so the Desk list shows names and ranks in order instead of bare ids."""

import frappe


def execute():
	frappe.db.sql(
		"""
		UPDATE `tabSSP Contest Standing` s
		JOIN `tabSSP Contest` c ON c.name = s.contest
		LEFT JOIN `tabSSP Contest Nomination` n
			ON n.parent = c.name AND n.parenttype = 'SSP Contest' AND n.nomination_key = s.nomination_key
		LEFT JOIN `tabUser` u ON u.name = s.user
		SET s.participant_name = IFNULL(NULLIF(u.full_name, ''), s.user),
			s.sort_key = CONCAT(
				DATE_FORMAT(c.starts_on, '%Y%m%d%H%i'), '-',
				LPAD(99 - LEAST(IFNULL(n.idx, 0), 99), 2, '0'), '-',
				LPAD(IF(s.rank > 0, 99999 - LEAST(s.rank, 99998), 0), 5, '0')
			)
		WHERE s.participant_name IS NULL OR s.sort_key IS NULL
		"""
	)
