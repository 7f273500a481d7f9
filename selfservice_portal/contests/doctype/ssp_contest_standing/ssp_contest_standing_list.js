// Copyright (c) 2026, selfservice_portal developers
// For license information, please see license.txt

// Standings are read by participant name and result; their random ids say nothing to anyone.
frappe.listview_settings["SSP Contest Standing"] = {
	hide_name_column: true,
};
