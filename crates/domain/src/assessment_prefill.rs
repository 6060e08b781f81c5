//! Answers an assessment can take from the child's record, so that a
//! caseworker does not ask again what the registry already knows (and
//! cannot contradict it by a slip). Each is only a starting point: the
//! caseworker can change it, and the form says where it came from.
//!
//! Only what the record states is used. A box left unticked on the
//! registration form (disability, child labour) is not a "no": it may just
//! not have been asked, so it fills nothing. Enrolment is different: the
//! record's "in school" is asked of every child, and "not enrolled" answers
//! the not-in-school factor; being enrolled does not answer it (the factor
//! also covers a child enrolled but not attending).

use crate::assessment::{Answer, Instrument};
use crate::child::{BirthRegistration, Child, LivingSituation};
use crate::date::Date;

/// Under this age the young-age factor applies.
pub const YOUNG_AGE_UNDER: i32 = 12;

/// The part of the child's record an answer came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RecordField {
    /// Date of birth (age).
    DateOfBirth,
    /// Birth registration.
    BirthRegistration,
    /// Living situation.
    LivingSituation,
    /// Enrolled in school.
    InSchool,
    /// Child labour.
    ChildLabour,
    /// Disability.
    Disability,
}

impl RecordField {
    /// A stable name, e.g. for a message key.
    pub fn as_str(self) -> &'static str {
        match self {
            RecordField::DateOfBirth => "date_of_birth",
            RecordField::BirthRegistration => "birth_registration",
            RecordField::LivingSituation => "living_situation",
            RecordField::InSchool => "in_school",
            RecordField::ChildLabour => "child_labour",
            RecordField::Disability => "disability",
        }
    }
}

/// One answer taken from the record.
#[derive(Clone, Debug, PartialEq)]
pub struct Prefilled {
    /// Factor id.
    pub factor: String,
    /// The answer the record gives.
    pub answer: Answer,
    /// Where it came from.
    pub from: RecordField,
}

/// The answers the record gives for the instrument's factors, in the
/// instrument's order (factors the instrument lacks are left out).
pub fn prefill(inst: &Instrument, child: &Child, today: Date) -> Vec<Prefilled> {
    use RecordField as F;
    let yes = Answer::Yes(true);
    let no = Answer::Yes(false);
    let mut found: Vec<(&str, Answer, RecordField)> = Vec::new();
    found.push((
        "young_age",
        Answer::Yes(child.age_on(today) < YOUNG_AGE_UNDER),
        F::DateOfBirth,
    ));
    match child.birth_registration {
        BirthRegistration::NotRegistered => {
            found.push(("no_birth_registration", yes.clone(), F::BirthRegistration))
        }
        BirthRegistration::Registered => {
            found.push(("no_birth_registration", no.clone(), F::BirthRegistration))
        }
        BirthRegistration::Unknown => found.push((
            "no_birth_registration",
            Answer::Unknown,
            F::BirthRegistration,
        )),
    }
    let living: &[(&str, bool)] = match child.living_situation {
        LivingSituation::Street => &[("street_child", true)],
        LivingSituation::Institution => &[("in_institution", true)],
        LivingSituation::UnaccompaniedMigrant => {
            &[("unaccompanied_migrant", true), ("caregivers_absent", true)]
        }
        LivingSituation::ChildHeadedHousehold => &[("caregivers_absent", true)],
        LivingSituation::Family => &[
            ("caregivers_absent", false),
            ("in_institution", false),
            ("unaccompanied_migrant", false),
        ],
        LivingSituation::KinshipCare => {
            &[("in_institution", false), ("unaccompanied_migrant", false)]
        }
    };
    for (id, present) in living {
        found.push((id, Answer::Yes(*present), F::LivingSituation));
    }
    if !child.in_school {
        found.push(("not_in_school", yes.clone(), F::InSchool));
        found.push(("attends_school", no, F::InSchool));
    }
    if child.child_labour {
        found.push(("child_labour", yes.clone(), F::ChildLabour));
    }
    if child.disability {
        found.push(("disability", yes, F::Disability));
    }
    inst.factors
        .iter()
        .filter_map(|f| {
            found
                .iter()
                .find(|(id, _, _)| *id == f.id)
                .map(|(_, answer, from)| Prefilled {
                    factor: f.id.clone(),
                    answer: answer.clone(),
                    from: *from,
                })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::child::Sex;

    fn child() -> Child {
        Child {
            id: "c1".into(),
            given_name: "Amina".into(),
            family_name: "Diallo".into(),
            sex: Sex::Female,
            date_of_birth: Date::new(2012, 3, 1).unwrap(),
            date_of_birth_estimated: false,
            location: "HV-NR-01".into(),
            birth_registration: BirthRegistration::Registered,
            disability: false,
            minority_group: None,
            living_situation: LivingSituation::Family,
            in_school: true,
            child_labour: false,
            household_id: None,
            agency: None,
            institution_id: None,
            created_at: 0,
            updated_at: 0,
        }
    }

    fn today() -> Date {
        Date::new(2026, 1, 15).unwrap()
    }

    fn answers(c: &Child) -> Vec<(String, Answer, RecordField)> {
        let inst = Instrument::default_instrument().unwrap();
        prefill(&inst, c, today())
            .into_iter()
            .map(|p| (p.factor, p.answer, p.from))
            .collect()
    }

    fn answer(c: &Child, id: &str) -> Option<Answer> {
        answers(c)
            .into_iter()
            .find(|(f, _, _)| f == id)
            .map(|(_, a, _)| a)
    }

    #[test]
    fn a_child_out_of_school_unregistered_on_the_street_and_working() {
        let mut c = child();
        c.in_school = false;
        c.birth_registration = BirthRegistration::NotRegistered;
        c.living_situation = LivingSituation::Street;
        c.child_labour = true;
        c.disability = true;
        let got = answers(&c);
        let expect = [
            ("not_in_school", Answer::Yes(true), RecordField::InSchool),
            ("attends_school", Answer::Yes(false), RecordField::InSchool),
            (
                "no_birth_registration",
                Answer::Yes(true),
                RecordField::BirthRegistration,
            ),
            (
                "street_child",
                Answer::Yes(true),
                RecordField::LivingSituation,
            ),
            ("child_labour", Answer::Yes(true), RecordField::ChildLabour),
            ("disability", Answer::Yes(true), RecordField::Disability),
            ("young_age", Answer::Yes(false), RecordField::DateOfBirth),
        ];
        for (id, a, from) in expect {
            assert!(
                got.contains(&(id.to_string(), a.clone(), from)),
                "{id}: {a:?} from {from:?} in {got:?}"
            );
        }
        assert_eq!(
            answer(&c, "in_institution"),
            None,
            "street says nothing of it"
        );
    }

    #[test]
    fn an_unknown_registration_is_an_unknown_answer_not_a_no() {
        let mut c = child();
        c.birth_registration = BirthRegistration::Unknown;
        assert_eq!(answer(&c, "no_birth_registration"), Some(Answer::Unknown));
        c.birth_registration = BirthRegistration::Registered;
        assert_eq!(
            answer(&c, "no_birth_registration"),
            Some(Answer::Yes(false))
        );
    }

    #[test]
    fn an_unticked_box_fills_nothing_and_enrolment_does_not_prove_attendance() {
        let c = child();
        assert_eq!(answer(&c, "child_labour"), None);
        assert_eq!(answer(&c, "disability"), None);
        assert_eq!(answer(&c, "not_in_school"), None);
        assert_eq!(answer(&c, "attends_school"), None);
    }

    #[test]
    fn living_situations_map_to_their_factors() {
        let mut c = child();
        c.living_situation = LivingSituation::ChildHeadedHousehold;
        assert_eq!(answer(&c, "caregivers_absent"), Some(Answer::Yes(true)));
        c.living_situation = LivingSituation::UnaccompaniedMigrant;
        assert_eq!(answer(&c, "unaccompanied_migrant"), Some(Answer::Yes(true)));
        assert_eq!(answer(&c, "caregivers_absent"), Some(Answer::Yes(true)));
        c.living_situation = LivingSituation::Institution;
        assert_eq!(answer(&c, "in_institution"), Some(Answer::Yes(true)));
        c.living_situation = LivingSituation::Family;
        assert_eq!(answer(&c, "in_institution"), Some(Answer::Yes(false)));
        assert_eq!(answer(&c, "caregivers_absent"), Some(Answer::Yes(false)));
    }

    #[test]
    fn young_age_comes_from_the_date_of_birth() {
        let mut c = child();
        c.date_of_birth = Date::new(2016, 6, 1).unwrap();
        assert_eq!(answer(&c, "young_age"), Some(Answer::Yes(true)));
    }

    #[test]
    fn factors_the_instrument_lacks_are_left_out() {
        let mut inst = Instrument::default_instrument().unwrap();
        inst.factors.retain(|f| f.id == "poverty");
        let mut c = child();
        c.in_school = false;
        assert!(prefill(&inst, &c, today()).is_empty());
    }
}
