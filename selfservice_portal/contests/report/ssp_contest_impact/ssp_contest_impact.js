// Copyright (c) 2026, selfservice_portal developers
// For license information, please see license.txt

frappe.query_reports["SSP Contest Impact"] = {
	filters: [
		{ fieldname: "contest", label: __("Contest"), fieldtype: "Link", options: "SSP Contest" },
	],
};
