// Copyright (c) 2026, selfservice_portal developers
// For license information, please see license.txt

frappe.query_reports["SSP Poll Results"] = {
	filters: [
		{ fieldname: "poll", label: __("Poll"), fieldtype: "Link", options: "SSP Poll", reqd: 1 },
		{
			fieldname: "question",
			label: __("Question No. (chart)"),
			fieldtype: "Int",
			description: __("The chart shows this question; empty: the first question with choices or a scale."),
		},
	],
	formatter(value, row, column, data, default_formatter) {
		const text = default_formatter(value, row, column, data);
		return data && data.is_heading && column.fieldname === "question" ? `<b>${text}</b>` : text;
	},
};
