//! [`Store`] for [`SqlStore`]: each method delegates to its subject module.

use super::SqlStore;
use crate::assessments::AssessmentRecord;
use crate::audit::{AuditEntry, AuditProblem};
use crate::casework::{AgencyReferrals, Case, CaseCounts, CaseFile, CaseFilter, Referral, Service};
use crate::error::StoreResult;
use crate::lists::{HashEntry, HashImport, HashList, UrlEntry, UrlListChanges};
use crate::reports::{
    ChildLink, HotlineFilter, HotlineItem, ItemAssessment, ReportFile, ReportReceipt,
    ReportSummary, ReporterView,
};
use crate::{ChildCounts, NewUser, Page, PossibleDuplicate, Session, Store, UserInfo};
use haven_domain::assessment::{Answer, Instrument, RiskLevel};
use haven_domain::casework::{CaseAction, Consent, NewService, ReferralKind, ReferralStatus};
use haven_domain::hotline::{HotlineAction, HotlineFigures};
use haven_domain::lists::{NewHashEntry, UrlLevel};
use haven_domain::report::{Decision, ValidReport};
use haven_domain::{
    Actor, Caregiver, Child, ChildFilter, ChildPatch, Household, Institution, Location,
    NewCaregiver, NewChild, NewHousehold,
};
use std::collections::BTreeMap;
use std::path::Path;

impl Store for SqlStore {
    fn backend_name(&self) -> &'static str {
        self.backend.name()
    }
    fn is_empty(&self) -> StoreResult<bool> {
        self.do_is_empty()
    }
    fn create_location(
        &self,
        actor: &Actor,
        location: &Location,
        now: i64,
    ) -> StoreResult<Location> {
        self.do_create_location(actor, location, now)
    }
    fn list_locations(&self, actor: &Actor) -> StoreResult<Vec<Location>> {
        self.do_list_locations(actor)
    }
    fn create_user(&self, actor: &Actor, user: &NewUser, now: i64) -> StoreResult<UserInfo> {
        self.do_create_user(actor, user, now)
    }
    fn list_users(&self, actor: &Actor, now: i64) -> StoreResult<Vec<UserInfo>> {
        self.do_list_users(actor, now)
    }
    fn create_api_token(&self, actor: &Actor, user_name: &str, now: i64) -> StoreResult<String> {
        self.do_create_api_token(actor, user_name, now)
    }
    fn actor_for_token(&self, token: &str) -> StoreResult<Actor> {
        self.do_actor_for_token(token)
    }
    fn sign_in(&self, name: &str, password: &str, now: i64) -> StoreResult<Session> {
        self.do_sign_in(name, password, now)
    }
    fn session(&self, token: &str, now: i64) -> StoreResult<Session> {
        self.do_session(token, now)
    }
    fn sign_out(&self, token: &str, now: i64) -> StoreResult<()> {
        self.do_sign_out(token, now)
    }
    fn purge(
        &self,
        actor: &Actor,
        rules: &haven_domain::retention::RetentionRules,
        now: i64,
        apply: bool,
    ) -> StoreResult<crate::PurgeReport> {
        self.do_purge(actor, rules, now, apply)
    }
    fn pending_session(&self, token: &str, now: i64) -> StoreResult<Session> {
        self.do_pending_session(token, now)
    }
    fn second_factor_status(&self, actor: &Actor) -> StoreResult<crate::SecondFactorStatus> {
        self.do_second_factor_status(actor)
    }
    fn begin_second_factor(
        &self,
        actor: &Actor,
        now: i64,
    ) -> StoreResult<crate::SecondFactorEnrolment> {
        self.do_begin_second_factor(actor, now)
    }
    fn unfinished_second_factor(
        &self,
        actor: &Actor,
    ) -> StoreResult<Option<crate::SecondFactorEnrolment>> {
        self.do_unfinished_second_factor(actor)
    }
    fn second_factor_roles(&self) -> StoreResult<Vec<haven_domain::Role>> {
        self.do_second_factor_roles()
    }
    fn confirm_second_factor(
        &self,
        actor: &Actor,
        code: &str,
        now: i64,
    ) -> StoreResult<Vec<String>> {
        self.do_confirm_second_factor(actor, code, now)
    }
    fn complete_second_factor(&self, token: &str, code: &str, now: i64) -> StoreResult<Session> {
        self.do_complete_second_factor(token, code, now)
    }
    fn remove_second_factor(&self, actor: &Actor, user_name: &str, now: i64) -> StoreResult<()> {
        self.do_remove_second_factor(actor, user_name, now)
    }
    fn require_second_factor(
        &self,
        actor: &Actor,
        role: haven_domain::Role,
        required: bool,
        now: i64,
    ) -> StoreResult<()> {
        self.do_require_second_factor(actor, role, required, now)
    }
    fn set_language(&self, actor: &Actor, language: Option<&str>, now: i64) -> StoreResult<()> {
        self.do_set_language(actor, language, now)
    }
    fn set_contact(&self, actor: &Actor, contact: Option<&str>, now: i64) -> StoreResult<()> {
        self.do_set_contact(actor, contact, now)
    }
    fn create_child(
        &self,
        actor: &Actor,
        child: &NewChild,
        now: i64,
    ) -> StoreResult<(Child, Vec<PossibleDuplicate>)> {
        self.do_create_child(actor, child, now)
    }
    fn register_family(
        &self,
        actor: &Actor,
        h: &NewHousehold,
        children: &[NewChild],
        now: i64,
    ) -> StoreResult<(Household, Vec<Child>)> {
        self.do_register_family(actor, h, children, now)
    }
    fn register_families(
        &self,
        actor: &Actor,
        families: &[haven_domain::NewFamily],
        now: i64,
    ) -> StoreResult<usize> {
        self.do_register_families(actor, families, now)
    }
    fn get_child(&self, actor: &Actor, id: &str, now: i64) -> StoreResult<Child> {
        self.do_get_child(actor, id, now)
    }
    fn update_child(
        &self,
        actor: &Actor,
        id: &str,
        patch: &ChildPatch,
        now: i64,
    ) -> StoreResult<Child> {
        self.do_update_child(actor, id, patch, now)
    }
    fn list_children(
        &self,
        actor: &Actor,
        filter: &ChildFilter,
        cursor: Option<&str>,
        limit: usize,
        now: i64,
    ) -> StoreResult<Page<Child>> {
        self.do_list_children(actor, filter, cursor, limit, now)
    }
    fn possible_duplicates(
        &self,
        actor: &Actor,
        id: &str,
        now: i64,
    ) -> StoreResult<Vec<PossibleDuplicate>> {
        self.do_possible_duplicates(actor, id, now)
    }
    fn child_counts(&self, actor: &Actor, now: i64) -> StoreResult<ChildCounts> {
        self.do_child_counts(actor, now)
    }
    fn create_household(
        &self,
        actor: &Actor,
        h: &NewHousehold,
        now: i64,
    ) -> StoreResult<Household> {
        self.do_create_household(actor, h, now)
    }
    fn get_household(&self, actor: &Actor, id: &str, now: i64) -> StoreResult<Household> {
        self.do_get_household(actor, id, now)
    }
    fn add_caregiver(
        &self,
        actor: &Actor,
        household_id: &str,
        g: &NewCaregiver,
        now: i64,
    ) -> StoreResult<Caregiver> {
        self.do_add_caregiver(actor, household_id, g, now)
    }
    fn create_institution(
        &self,
        actor: &Actor,
        i: &Institution,
        now: i64,
    ) -> StoreResult<Institution> {
        self.do_create_institution(actor, i, now)
    }
    fn list_institutions(&self, actor: &Actor) -> StoreResult<Vec<Institution>> {
        self.do_list_institutions(actor)
    }
    fn create_hash_list(
        &self,
        actor: &Actor,
        name: &str,
        description: &str,
        now: i64,
    ) -> StoreResult<HashList> {
        self.do_create_hash_list(actor, name, description, now)
    }
    fn list_hash_lists(&self, actor: &Actor, now: i64) -> StoreResult<Vec<HashList>> {
        self.do_list_hash_lists(actor, now)
    }
    fn add_hash_entries(
        &self,
        actor: &Actor,
        list_id: &str,
        entries: &[NewHashEntry],
        import_source: Option<&str>,
        now: i64,
    ) -> StoreResult<(Option<HashImport>, Vec<HashEntry>)> {
        self.do_add_hash_entries(actor, list_id, entries, import_source, now)
    }
    fn list_hash_entries(
        &self,
        actor: &Actor,
        list_id: &str,
        cursor: Option<&str>,
        limit: usize,
        now: i64,
    ) -> StoreResult<Page<HashEntry>> {
        self.do_list_hash_entries(actor, list_id, cursor, limit, now)
    }
    fn list_hash_imports(
        &self,
        actor: &Actor,
        list_id: &str,
        now: i64,
    ) -> StoreResult<Vec<HashImport>> {
        self.do_list_hash_imports(actor, list_id, now)
    }
    fn set_hash_entry_enabled(
        &self,
        actor: &Actor,
        entry_id: &str,
        enabled: bool,
        now: i64,
    ) -> StoreResult<HashEntry> {
        self.do_set_hash_entry_enabled(actor, entry_id, enabled, now)
    }
    fn hash_changes_since(&self, since: i64) -> StoreResult<(Vec<HashEntry>, i64)> {
        self.do_hash_changes_since(since)
    }
    fn add_url(
        &self,
        actor: &Actor,
        url: &str,
        level: UrlLevel,
        category: &str,
        now: i64,
    ) -> StoreResult<UrlEntry> {
        self.do_add_url(actor, url, level, category, now)
    }
    fn add_peer(&self, actor: &Actor, peer: &crate::NewPeer, now: i64) -> StoreResult<crate::Peer> {
        self.do_add_peer(actor, peer, now)
    }
    fn list_peers(&self, actor: &Actor, now: i64) -> StoreResult<Vec<crate::Peer>> {
        self.do_list_peers(actor, now)
    }
    fn set_peer_revoked(
        &self,
        actor: &Actor,
        name: &str,
        revoked: bool,
        now: i64,
    ) -> StoreResult<crate::Peer> {
        self.do_set_peer_revoked(actor, name, revoked, now)
    }
    fn peer_by_fingerprint(&self, fingerprint: &str) -> StoreResult<Option<crate::Peer>> {
        self.do_peer_by_fingerprint(fingerprint)
    }
    fn export_bundle(
        &self,
        actor: &Actor,
        name: &str,
        since: Option<i64>,
        prev: Option<&str>,
        key: &haven_domain::exchange::NodeKey,
        now: i64,
    ) -> StoreResult<Option<haven_domain::exchange::Bundle>> {
        self.do_export_bundle(actor, name, since, prev, key, now)
    }
    fn own_key_rotations(&self) -> StoreResult<Vec<haven_domain::exchange::KeyRotationItem>> {
        self.do_own_key_rotations()
    }
    fn follow_peer_rotation(
        &self,
        rotations: &[haven_domain::exchange::KeyRotationItem],
        signer: &str,
        now: i64,
    ) -> StoreResult<Option<crate::Peer>> {
        self.do_follow_peer_rotation(rotations, signer, now)
    }
    fn record_key_rotation(
        &self,
        actor: &Actor,
        rotation: &haven_domain::exchange::KeyRotationItem,
        now: i64,
    ) -> StoreResult<()> {
        self.do_record_key_rotation(actor, rotation, now)
    }
    fn sign_audit_head(
        &self,
        key: &haven_domain::exchange::NodeKey,
        now: i64,
    ) -> StoreResult<Option<haven_domain::exchange::AuditHeadItem>> {
        self.do_sign_audit_head(key, now)
    }
    fn import_bundle_with_progress(
        &self,
        actor: &Actor,
        bytes: &[u8],
        us: &str,
        now: i64,
        progress: &mut dyn FnMut(&crate::ImportProgress),
    ) -> StoreResult<crate::ImportSummary> {
        self.do_import_bundle(actor, bytes, us, now, progress)
    }
    fn publish_statistics(
        &self,
        actor: &Actor,
        items: &[haven_domain::exchange::StatisticItem],
        now: i64,
    ) -> StoreResult<u64> {
        self.do_publish_statistics(actor, items, now)
    }
    fn received_statistics(
        &self,
        actor: &Actor,
        now: i64,
    ) -> StoreResult<Vec<crate::ReceivedStatistic>> {
        self.do_received_statistics(actor, now)
    }
    fn enrol_field_node(
        &self,
        actor: &Actor,
        label: &str,
        now: i64,
    ) -> StoreResult<(crate::field::FieldNode, String)> {
        self.do_enrol_field_node(actor, label, now)
    }
    fn laptop_for_token(&self, token: &str, now: i64) -> StoreResult<(Actor, String)> {
        self.do_laptop_for_token(token, now)
    }
    fn receive_checkout(
        &self,
        actor: &Actor,
        checkout: &crate::Checkout,
        now: i64,
    ) -> StoreResult<(usize, usize)> {
        self.do_receive_checkout(actor, checkout, now)
    }
    fn requeue_held(&self, actor: &Actor, still_held: &[String], now: i64) -> StoreResult<usize> {
        self.do_requeue_held(actor, still_held, now)
    }
    fn receive_cases(
        &self,
        actor: &Actor,
        checkout: &crate::Checkout,
        now: i64,
    ) -> StoreResult<(usize, usize)> {
        self.do_receive_cases(actor, checkout, now)
    }
    fn field_outbox(
        &self,
        actor: &Actor,
        after: u64,
        limit: usize,
    ) -> StoreResult<(Vec<haven_domain::field_ops::FieldOperation>, u64)> {
        self.do_field_outbox(actor, after, limit)
    }
    fn field_outbox_answered(
        &self,
        actor: &Actor,
        acknowledged: u64,
        results: &[haven_domain::field_ops::OperationResult],
    ) -> StoreResult<()> {
        self.do_field_outbox_answered(actor, acknowledged, results)
    }
    fn refused_operations(&self, actor: &Actor) -> StoreResult<Vec<crate::RefusedOperation>> {
        self.do_refused_operations(actor)
    }
    fn discard_refused(&self, actor: &Actor, n: u64, now: i64) -> StoreResult<()> {
        self.do_discard_refused(actor, n, now)
    }
    fn laptop_audit(
        &self,
        actor: &Actor,
        after: i64,
        limit: usize,
    ) -> StoreResult<Vec<haven_domain::field_ops::LaptopAuditEntry>> {
        self.do_laptop_audit(actor, after, limit)
    }
    fn receive_laptop_audit(
        &self,
        actor: &Actor,
        node_id: &str,
        entries: &[haven_domain::field_ops::LaptopAuditEntry],
        now: i64,
    ) -> StoreResult<i64> {
        self.do_receive_laptop_audit(actor, node_id, entries, now)
    }
    fn field_nodes(&self, actor: &Actor, now: i64) -> StoreResult<Vec<crate::FieldNode>> {
        self.do_field_nodes(actor, now)
    }
    fn revoke_field_node(
        &self,
        actor: &Actor,
        id: &str,
        now: i64,
    ) -> StoreResult<crate::FieldNode> {
        self.do_revoke_field_node(actor, id, now)
    }
    fn sync_field_operations(
        &self,
        actor: &Actor,
        node: &str,
        operations: &[haven_domain::field_ops::FieldOperation],
        pending: u64,
        now: i64,
    ) -> StoreResult<crate::SyncAnswer> {
        self.do_sync_field_operations(actor, node, operations, pending, now)
    }
    fn field_checkout(
        &self,
        actor: &Actor,
        node: &str,
        since: Option<i64>,
        now: i64,
    ) -> StoreResult<crate::Checkout> {
        self.do_field_checkout(actor, node, since, now)
    }
    fn field_conflicts(&self, actor: &Actor, now: i64) -> StoreResult<Vec<crate::FieldConflict>> {
        self.do_field_conflicts(actor, now)
    }
    fn resolve_field_conflict(
        &self,
        actor: &Actor,
        id: &str,
        keep: crate::Keep,
        now: i64,
    ) -> StoreResult<crate::FieldConflict> {
        self.do_resolve_field_conflict(actor, id, keep, now)
    }
    fn issue_alert(
        &self,
        actor: &Actor,
        alert: &haven_domain::exchange::NewAlert,
        now: i64,
    ) -> StoreResult<crate::Alert> {
        self.do_issue_alert(actor, alert, now)
    }
    fn list_alerts(&self, actor: &Actor, now: i64) -> StoreResult<Vec<crate::Alert>> {
        self.do_list_alerts(actor, now)
    }
    fn alert(&self, actor: &Actor, id: &str, now: i64) -> StoreResult<crate::Alert> {
        self.do_alert(actor, id, now)
    }
    fn withdraw_alert(&self, actor: &Actor, id: &str, now: i64) -> StoreResult<()> {
        self.do_withdraw_alert(actor, id, now)
    }
    fn remove_url(&self, actor: &Actor, id: &str, now: i64) -> StoreResult<UrlEntry> {
        self.do_remove_url(actor, id, now)
    }
    fn check_url(&self, actor: &Actor, url: &str, now: i64) -> StoreResult<Vec<UrlEntry>> {
        self.do_check_url(actor, url, now)
    }
    fn url_list_since(&self, actor: &Actor, since: i64, now: i64) -> StoreResult<UrlListChanges> {
        self.do_url_list_since(actor, since, now)
    }
    fn current_instrument(&self, now: i64) -> StoreResult<Instrument> {
        self.do_current_instrument(now)
    }
    fn create_instrument(&self, actor: &Actor, json: &str, now: i64) -> StoreResult<Instrument> {
        self.do_create_instrument(actor, json, now)
    }
    fn assess_child(
        &self,
        actor: &Actor,
        child_id: &str,
        answers: &BTreeMap<String, Answer>,
        now: i64,
    ) -> StoreResult<AssessmentRecord> {
        self.do_assess_child(actor, child_id, answers, None, now)
    }
    fn assess_child_with_notes(
        &self,
        actor: &Actor,
        child_id: &str,
        answers: &BTreeMap<String, Answer>,
        notes: Option<&str>,
        now: i64,
    ) -> StoreResult<AssessmentRecord> {
        self.do_assess_child(actor, child_id, answers, notes, now)
    }
    fn child_assessments(
        &self,
        actor: &Actor,
        child_id: &str,
        now: i64,
    ) -> StoreResult<Vec<AssessmentRecord>> {
        self.do_child_assessments(actor, child_id, now)
    }
    fn confirm_assessment(
        &self,
        actor: &Actor,
        id: &str,
        level: RiskLevel,
        reason: Option<&str>,
        now: i64,
    ) -> StoreResult<AssessmentRecord> {
        self.do_confirm_assessment(actor, id, level, reason, now)
    }
    fn record_event(
        &self,
        actor: &str,
        action: &str,
        target: &str,
        outcome: &str,
        detail: &str,
        now: i64,
    ) -> StoreResult<()> {
        self.do_record_event(actor, action, target, outcome, detail, now)
    }
    fn attempt(
        &self,
        counters: &[crate::attempts::Counter],
        count: crate::attempts::Count,
        now: i64,
    ) -> StoreResult<i64> {
        self.do_attempt(counters, count, now)
    }
    fn give_back_attempts(&self, lower: &[String], forget: &[String]) -> StoreResult<()> {
        self.do_give_back_attempts(lower, forget)
    }
    fn device_cookie_key(&self) -> [u8; 32] {
        self.keys.device_cookie_key()
    }
    fn verify_audit(&self) -> StoreResult<Result<u64, AuditProblem>> {
        self.do_verify_audit()
    }
    fn recent_audit(&self, actor: &Actor, limit: usize, now: i64) -> StoreResult<Vec<AuditEntry>> {
        self.do_recent_audit(actor, limit, now)
    }
    fn backup(&self, path: &Path) -> StoreResult<()> {
        self.backend.backup(path)
    }
    fn create_service(
        &self,
        actor: &Actor,
        service: &NewService,
        now: i64,
    ) -> StoreResult<Service> {
        self.do_create_service(actor, service, now)
    }
    fn list_services(&self, actor: &Actor, covering: Option<&str>) -> StoreResult<Vec<Service>> {
        self.do_list_services(actor, covering)
    }
    fn open_case(
        &self,
        actor: &Actor,
        child_id: &str,
        assigned_to: Option<&str>,
        now: i64,
    ) -> StoreResult<Case> {
        self.do_open_case(actor, child_id, assigned_to, now)
    }
    fn get_case(&self, actor: &Actor, id: &str, now: i64) -> StoreResult<CaseFile> {
        self.do_get_case(actor, id, now)
    }
    fn list_cases(&self, actor: &Actor, filter: &CaseFilter, now: i64) -> StoreResult<Vec<Case>> {
        self.do_list_cases(actor, filter, now)
    }
    fn case_counts(&self, actor: &Actor, now: i64) -> StoreResult<CaseCounts> {
        self.do_case_counts(actor, now)
    }
    fn case_action(
        &self,
        actor: &Actor,
        id: &str,
        action: CaseAction,
        text: Option<&str>,
        now: i64,
    ) -> StoreResult<Case> {
        self.do_case_action(actor, id, action, text, now)
    }
    fn add_case_note(&self, actor: &Actor, id: &str, text: &str, now: i64) -> StoreResult<()> {
        self.do_add_case_note(actor, id, text, now)
    }
    fn record_consent(
        &self,
        actor: &Actor,
        id: &str,
        consent: Consent,
        child_views: Option<&str>,
        now: i64,
    ) -> StoreResult<Case> {
        self.do_record_consent(actor, id, consent, child_views, now)
    }
    fn record_adoptability(
        &self,
        actor: &Actor,
        id: &str,
        determination: &str,
        now: i64,
    ) -> StoreResult<Case> {
        self.do_record_adoptability(actor, id, determination, now)
    }
    fn reassign_case(
        &self,
        actor: &Actor,
        id: &str,
        to_user: &str,
        to_agency: Option<&str>,
        reason: Option<&str>,
        now: i64,
    ) -> StoreResult<Case> {
        self.do_reassign_case(actor, id, to_user, to_agency, reason, now)
    }
    fn refer(
        &self,
        actor: &Actor,
        case_id: &str,
        service_id: &str,
        kind: ReferralKind,
        reason: &str,
        now: i64,
    ) -> StoreResult<Referral> {
        self.do_refer(actor, case_id, service_id, kind, reason, now)
    }
    fn referral_brief(
        &self,
        actor: &Actor,
        id: &str,
        now: i64,
    ) -> StoreResult<crate::casework::ReferralBrief> {
        self.do_referral_brief(actor, id, now)
    }
    fn list_referrals(
        &self,
        actor: &Actor,
        filter: &crate::casework::ReferralFilter,
        now: i64,
    ) -> StoreResult<Vec<Referral>> {
        self.do_list_referrals(actor, filter, now)
    }
    fn answer_referral(
        &self,
        actor: &Actor,
        id: &str,
        status: ReferralStatus,
        note: Option<&str>,
        now: i64,
    ) -> StoreResult<Referral> {
        self.do_answer_referral(actor, id, status, note, now)
    }
    fn referrals_by_agency(&self, actor: &Actor, now: i64) -> StoreResult<Vec<AgencyReferrals>> {
        self.do_referrals_by_agency(actor, now)
    }
    fn submit_report(
        &self,
        report: &ValidReport,
        location: Option<&str>,
        now: i64,
    ) -> StoreResult<ReportReceipt> {
        self.do_submit_report(report, location, now)
    }
    fn report_status(&self, code: &str, pin: &str, now: i64) -> StoreResult<ReporterView> {
        self.do_report_status(code, pin, now)
    }
    fn add_report_info(
        &self,
        code: &str,
        pin: &str,
        text: &str,
        now: i64,
    ) -> StoreResult<ReporterView> {
        self.do_add_report_info(code, pin, text, now)
    }
    fn list_reports(
        &self,
        actor: &Actor,
        filter: &crate::reports::ReportFilter,
        now: i64,
    ) -> StoreResult<Vec<ReportSummary>> {
        self.do_list_reports(actor, filter, now)
    }
    fn get_report(&self, actor: &Actor, id: &str, now: i64) -> StoreResult<ReportFile> {
        self.do_get_report(actor, id, now)
    }
    fn report_contact(&self, actor: &Actor, id: &str, now: i64) -> StoreResult<Option<String>> {
        self.do_report_contact(actor, id, now)
    }
    fn add_report_note(&self, actor: &Actor, id: &str, text: &str, now: i64) -> StoreResult<()> {
        self.do_add_report_note(actor, id, text, now)
    }
    fn decide_report(
        &self,
        actor: &Actor,
        id: &str,
        decision: Decision,
        reason: Option<&str>,
        child: Option<&ChildLink>,
        now: i64,
    ) -> StoreResult<(ReportFile, Vec<PossibleDuplicate>)> {
        self.do_decide_report(actor, id, decision, reason, child, now)
    }
    fn add_report_action(
        &self,
        actor: &Actor,
        id: &str,
        action: Decision,
        reason: Option<&str>,
        child: Option<&ChildLink>,
        now: i64,
    ) -> StoreResult<(ReportFile, Vec<PossibleDuplicate>)> {
        self.do_add_report_action(actor, id, action, reason, child, now)
    }
    fn create_hotline_item(&self, actor: &Actor, url: &str, now: i64) -> StoreResult<HotlineItem> {
        self.do_create_hotline_item(actor, url, now)
    }
    fn list_hotline_items(
        &self,
        actor: &Actor,
        filter: &HotlineFilter,
        now: i64,
    ) -> StoreResult<Vec<HotlineItem>> {
        self.do_list_hotline_items(actor, filter, now)
    }
    fn get_hotline_item(&self, actor: &Actor, id: &str, now: i64) -> StoreResult<HotlineItem> {
        self.do_get_hotline_item(actor, id, now)
    }
    fn assess_item(
        &self,
        actor: &Actor,
        id: &str,
        assessment: &ItemAssessment,
        now: i64,
    ) -> StoreResult<HotlineItem> {
        self.do_assess_item(actor, id, assessment, now)
    }
    fn confirm_item(&self, actor: &Actor, id: &str, now: i64) -> StoreResult<HotlineItem> {
        self.do_confirm_item(actor, id, now)
    }
    fn item_action(
        &self,
        actor: &Actor,
        id: &str,
        action: HotlineAction,
        detail: Option<&str>,
        now: i64,
    ) -> StoreResult<HotlineItem> {
        let step = crate::reports::ItemStep {
            recipient: detail.map(str::to_string),
            reference: None,
        };
        self.do_item_action(actor, id, action, &step, now)
    }

    fn item_step(
        &self,
        actor: &Actor,
        id: &str,
        action: HotlineAction,
        step: &crate::reports::ItemStep,
        now: i64,
    ) -> StoreResult<HotlineItem> {
        self.do_item_action(actor, id, action, step, now)
    }
    fn indicator_tallies_by_query(
        &self,
        actor: &Actor,
        query: &crate::indicators::IndicatorQuery,
        now: i64,
    ) -> StoreResult<Vec<haven_domain::indicators::Tallies>> {
        self.do_indicator_tallies(actor, query, now)
    }

    fn indicator_report(
        &self,
        actor: &Actor,
        queries: &[crate::indicators::IndicatorQuery],
        now: i64,
    ) -> StoreResult<Vec<StoreResult<Vec<haven_domain::indicators::Tallies>>>> {
        self.do_indicator_report(actor, queries, now)
    }
    fn import_populations(
        &self,
        actor: &Actor,
        rows: &[haven_domain::indicators::population::PopulationRow],
        now: i64,
    ) -> StoreResult<usize> {
        self.do_import_populations(actor, rows, now)
    }
    fn public_indicators(&self) -> StoreResult<Vec<String>> {
        self.do_public_indicators()
    }
    fn set_indicator_public(
        &self,
        actor: &Actor,
        indicator: &str,
        public: bool,
        now: i64,
    ) -> StoreResult<()> {
        self.do_set_indicator_public(actor, indicator, public, now)
    }
    fn create_logframe(&self, actor: &Actor, title: &str, now: i64) -> StoreResult<String> {
        self.do_create_logframe(actor, title, now)
    }
    fn list_logframes(
        &self,
        actor: &Actor,
        now: i64,
    ) -> StoreResult<Vec<crate::logframes::LogframeSummary>> {
        self.do_list_logframes(actor, now)
    }
    fn logframe(
        &self,
        actor: &Actor,
        id: &str,
        now: i64,
    ) -> StoreResult<crate::logframes::Logframe> {
        self.do_logframe(actor, id, now)
    }
    fn add_logframe_result(
        &self,
        actor: &Actor,
        logframe: &str,
        result: &haven_domain::logframes::NewResult,
        now: i64,
    ) -> StoreResult<String> {
        self.do_add_logframe_result(actor, logframe, result, now)
    }
    fn link_logframe_indicator(
        &self,
        actor: &Actor,
        result: &str,
        indicator: &str,
        now: i64,
    ) -> StoreResult<()> {
        self.do_link_logframe_indicator(actor, result, indicator, now)
    }
    fn update_logframe_result(
        &self,
        actor: &Actor,
        result: &str,
        words: &haven_domain::logframes::ResultText,
        now: i64,
    ) -> StoreResult<()> {
        self.do_update_logframe_result(actor, result, words, now)
    }
    fn remove_logframe_result(&self, actor: &Actor, result: &str, now: i64) -> StoreResult<()> {
        self.do_remove_logframe_result(actor, result, now)
    }
    fn unlink_logframe_indicator(
        &self,
        actor: &Actor,
        result: &str,
        indicator: &str,
        now: i64,
    ) -> StoreResult<()> {
        self.do_unlink_logframe_indicator(actor, result, indicator, now)
    }
    fn set_logframe_mark(
        &self,
        actor: &Actor,
        result: &str,
        indicator: &str,
        kind: crate::logframes::MarkKind,
        mark: haven_domain::logframes::Mark,
        now: i64,
    ) -> StoreResult<()> {
        self.do_set_logframe_mark(actor, result, indicator, kind, mark, now)
    }
    fn readiness_instruments(
        &self,
        actor: &Actor,
        now: i64,
    ) -> StoreResult<Vec<haven_domain::readiness::Instrument>> {
        self.do_readiness_instruments(actor, now)
    }
    fn add_readiness_instrument(&self, actor: &Actor, json: &str, now: i64) -> StoreResult<u32> {
        self.do_add_readiness_instrument(actor, json, now)
    }
    fn create_readiness_round(
        &self,
        actor: &Actor,
        name: &str,
        held_on: haven_domain::Date,
        instrument_version: u32,
        now: i64,
    ) -> StoreResult<String> {
        self.do_create_readiness_round(actor, name, held_on, instrument_version, now)
    }
    fn readiness_rounds(
        &self,
        actor: &Actor,
        now: i64,
    ) -> StoreResult<Vec<crate::readiness::Round>> {
        self.do_readiness_rounds(actor, now)
    }
    fn readiness_round(
        &self,
        actor: &Actor,
        id: &str,
        now: i64,
    ) -> StoreResult<(
        crate::readiness::Round,
        Vec<crate::readiness::InformantScores>,
    )> {
        self.do_readiness_round(actor, id, now)
    }
    fn save_readiness_scores(
        &self,
        actor: &Actor,
        round: &str,
        informant: &str,
        scores: &haven_domain::readiness::Scores,
        now: i64,
    ) -> StoreResult<()> {
        self.do_save_readiness_scores(actor, round, informant, scores, now)
    }
    fn record_exploitation(
        &self,
        actor: &Actor,
        id: &str,
        form: Option<haven_domain::casework::ExploitationForm>,
        now: i64,
    ) -> StoreResult<Case> {
        self.do_record_exploitation(actor, id, form, now)
    }
    fn hotline_figures(&self, actor: &Actor, now: i64) -> StoreResult<HotlineFigures> {
        self.do_hotline_figures(actor, now)
    }
    fn update_user(
        &self,
        actor: &Actor,
        name: &str,
        change: &crate::administration::UserChange,
        now: i64,
    ) -> StoreResult<UserInfo> {
        self.do_update_user(actor, name, change, now)
    }
    fn set_user_disabled(
        &self,
        actor: &Actor,
        name: &str,
        disabled: bool,
        now: i64,
    ) -> StoreResult<UserInfo> {
        self.do_set_user_disabled(actor, name, disabled, now)
    }
    fn reset_password(
        &self,
        actor: &Actor,
        name: &str,
        password_hash: &str,
        now: i64,
    ) -> StoreResult<()> {
        self.do_reset_password(actor, name, password_hash, now)
    }
    fn list_agencies(&self, actor: &Actor) -> StoreResult<Vec<crate::administration::Agency>> {
        self.do_list_agencies(actor)
    }
    fn create_agency(
        &self,
        actor: &Actor,
        agency: &crate::administration::Agency,
        now: i64,
    ) -> StoreResult<crate::administration::Agency> {
        self.do_create_agency(actor, agency, now)
    }
    fn update_agency(
        &self,
        actor: &Actor,
        code: &str,
        agency: &crate::administration::Agency,
        now: i64,
    ) -> StoreResult<crate::administration::Agency> {
        self.do_update_agency(actor, code, agency, now)
    }
    fn update_institution(
        &self,
        actor: &Actor,
        id: &str,
        institution: &Institution,
        now: i64,
    ) -> StoreResult<Institution> {
        self.do_update_institution(actor, id, institution, now)
    }
    fn get_institution(
        &self,
        actor: &Actor,
        id: &str,
        now: i64,
    ) -> StoreResult<crate::administration::InstitutionFile> {
        self.do_get_institution(actor, id, now)
    }
    fn record_inspection(
        &self,
        actor: &Actor,
        institution_id: &str,
        inspection: &crate::administration::NewInspection,
        now: i64,
    ) -> StoreResult<haven_domain::Inspection> {
        self.do_record_inspection(actor, institution_id, inspection, now)
    }
    fn overdue_inspections(
        &self,
        actor: &Actor,
        now: i64,
    ) -> StoreResult<Vec<crate::administration::InstitutionStatus>> {
        self.do_overdue_inspections(actor, now)
    }
    fn link_child_institution(
        &self,
        actor: &Actor,
        child_id: &str,
        institution_id: Option<&str>,
        now: i64,
    ) -> StoreResult<()> {
        self.do_link_child_institution(actor, child_id, institution_id, now)
    }
    fn search_audit(
        &self,
        actor: &Actor,
        query: &crate::administration::AuditQuery,
        limit: usize,
        now: i64,
    ) -> StoreResult<Page<AuditEntry>> {
        self.do_search_audit(actor, query, limit, now)
    }
    fn check_audit(&self, actor: &Actor, now: i64) -> StoreResult<Result<u64, AuditProblem>> {
        self.do_check_audit(actor, now)
    }
}
