// User form: the user's contest badges in the form dashboard.
frappe.ui.form.on("User", {
	refresh(frm) {
		if (frm.is_new()) return;
		selfservice_portal.badges.load(frm.doc.name).then((badges) => {
			if (badges.length) {
				frm.dashboard.add_section(selfservice_portal.badges.html(badges), __("Badges"));
			}
		});
	},
});
