// User form: the user's contest badges in the form sidebar, under the user's picture, where they show
// on every tab (the form dashboard lives on the User form's "Connections" tab only).
frappe.ui.form.on("User", {
	refresh(frm) {
		const $sidebar = frm.sidebar && frm.sidebar.sidebar;
		if (!$sidebar) return;
		$sidebar.find(".ssp-user-badges").remove();
		if (frm.is_new()) return;
		const user = frm.doc.name;
		selfservice_portal.badges.load(user).then((badges) => {
			// A refresh or another user's form may have overtaken this answer.
			if (!badges.length || frm.doc.name !== user) return;
			$sidebar.find(".ssp-user-badges").remove();
			$(
				`<div class="sidebar-section ssp-user-badges">
					<div class="sidebar-label">${__("Badges")}</div>
					${selfservice_portal.badges.html(badges)}
				</div>`
			).insertAfter(frm.sidebar.image_section);
		});
	},
});
