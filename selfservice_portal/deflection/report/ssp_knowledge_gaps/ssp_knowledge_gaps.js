// Copyright (c) 2026, selfservice_portal developers
// For license information, please see license.txt

frappe.query_reports["SSP Knowledge Gaps"] = {
	filters: [
		{ fieldname: "from_date", label: __("From Date"), fieldtype: "Date", default: frappe.datetime.add_months(frappe.datetime.get_today(), -12) },
		{ fieldname: "to_date", label: __("To Date"), fieldtype: "Date", default: frappe.datetime.get_today() },
		{
			fieldname: "view",
			label: __("View"),
			fieldtype: "Select",
			default: "Searches Without Results",
			options: [
				{ value: "Searches Without Results", label: __("Searches Without Results") },
				{ value: "Searches Followed by a Ticket", label: __("Searches Followed by a Ticket") },
				{ value: "Articles Read Before a Ticket", label: __("Articles Read Before a Ticket") },
				{ value: "Articles Marked Not Helpful", label: __("Articles Marked Not Helpful") },
			],
		},
	],
};
