// Copyright (c) 2026, selfservice_portal developers
// For license information, please see license.txt

frappe.query_reports["SSP Journeys"] = {
	filters: [
		{ fieldname: "from_date", label: __("From Date"), fieldtype: "Date", default: frappe.datetime.add_months(frappe.datetime.get_today(), -12) },
		{ fieldname: "to_date", label: __("To Date"), fieldtype: "Date", default: frappe.datetime.get_today() },
		{ fieldname: "department", label: __("Department"), fieldtype: "Link", options: "SSP Department" },
		{
			fieldname: "outcome",
			label: __("Outcome"),
			fieldtype: "Select",
			options: [
				{ value: "", label: "" },
				{ value: "confirmed", label: __("Confirmed deflection") },
				{ value: "inferred", label: __("Inferred deflection") },
				{ value: "ticket", label: __("Followed by a ticket") },
				{ value: "no engagement", label: __("Did not use the knowledge base") },
				{ value: "pending", label: __("Window still open") },
			],
		},
		{ fieldname: "kb_only", label: __("Used the Knowledge Base"), fieldtype: "Check" },
	],
};
