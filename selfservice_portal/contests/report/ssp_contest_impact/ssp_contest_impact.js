// Copyright (c) 2026, selfservice_portal developers
// For license information, please see license.txt

frappe.query_reports["SSP Contest Impact"] = {
	filters: [
		{ fieldname: "contest", label: __("Contest"), fieldtype: "Link", options: "SSP Contest" },
	],
	// A contest is named by its title, not its id: the row carries the title for the link to show.
	formatter(value, row, column, data, default_formatter) {
		if (column.fieldname === "contest" && data && data.contest_title) {
			frappe.utils.add_link_title("SSP Contest", data.contest, data.contest_title);
		}
		return default_formatter(value, row, column, data);
	},
};
