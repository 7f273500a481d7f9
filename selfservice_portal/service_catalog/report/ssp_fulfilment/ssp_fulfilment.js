// Copyright (c) 2026, selfservice_portal developers
// For license information, please see license.txt

frappe.query_reports["SSP Fulfilment"] = {
	filters: [
		{ fieldname: "from_date", label: __("From Date"), fieldtype: "Date", default: frappe.datetime.add_months(frappe.datetime.get_today(), -12) },
		{ fieldname: "to_date", label: __("To Date"), fieldtype: "Date", default: frappe.datetime.get_today() },
		{ fieldname: "service", label: __("Service"), fieldtype: "Link", options: "SSP Service" },
		{ fieldname: "department", label: __("Department"), fieldtype: "Link", options: "SSP Department" },
	],
};
