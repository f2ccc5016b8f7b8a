; Upper-case keywords, PDDL 1.2's :negation requirement, an empty
; precondition "()" and an empty effect "(and)", a quantified variable
; shadowing a parameter and another quantified variable, a type without
; objects (vacuous forall, false exists), a predicate of arity 6 with
; repeated and constant arguments, an effect on a constant, negated
; quantifiers and implications, and a when-condition that is the empty
; conjunction.
(DEFINE (DOMAIN Scopes)
 (:REQUIREMENTS :STRIPS :TYPING :ADL :NEGATION)
 (:types loc-a loc_b - place  place  thing empty-type)
 (:constants Home_1 - loc-a)
 (:predicates (at ?t - thing ?p - place) (p ?x) (q ?x) (big ?a ?b ?c ?d ?e ?f) (flag) (nothing ?x - empty-type))
 (:action noop-pre :parameters (?x - thing) :precondition () :effect (p ?x))
 (:action empty-eff :parameters () :precondition (and) :effect (and))
 (:action shadow :parameters (?x - thing)
   :precondition (and (p ?x) (forall (?x - thing) (p ?x)) (exists (?y - thing) (and (p ?y) (forall (?y - thing) (or (p ?y) (q ?y))))))
   :effect (and (q ?x) (forall (?x - thing) (when (p ?x) (at ?x Home_1)))))
 (:action big :parameters (?a ?b ?c - thing ?d - place ?e ?f)
   :precondition (and (q ?a) (not (= ?a ?b)) (= ?c ?a) (at ?a ?d) (not (p ?e)) (= ?e ?f))
   :effect (big ?a ?b ?c ?d ?e ?f))
 (:action impl :parameters ()
   :precondition (and (not (forall (?t - thing) (q ?t))) (not (imply (flag) (flag))) (not (or (flag))))
   :effect (flag))
 (:action g :parameters ()
   :precondition (not (exists (?t - thing) (not (at ?t home_1))))
   :effect (when (and) (flag)))
)
